"""Dashboard forms to connect a shop. Secret fields are never rendered back."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.brands.selectors import brand_list


def _secret(label, help_text="") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, max_length=500, widget=forms.PasswordInput)


class ConnectForm(forms.Form):
    """The shop's address, its credentials (`credential_fields`) and the brand of imported products."""

    credential_fields: tuple[str, ...] = ()
    shop_url = forms.CharField(max_length=300)
    brand = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Brand"),
        help_text=_("Imported products belong to this brand."),
        empty_label=_("No brand"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brand_list()
        self.order_fields(["shop_url", *self.credential_fields, "brand"])

    def credentials(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.credential_fields}


class ShopifyForm(ConnectForm):
    prefix = "shopify"
    credential_fields = ("access_token", "api_secret")
    access_token = _secret(
        _("Admin API access token"),
        _(
            "In Shopify: Settings → Apps and sales channels → Develop apps → your app → API credentials. "
            "Give the app the read_products and read_orders scopes. Starts with shpat_."
        ),
    )
    api_secret = _secret(
        _("Webhook signing secret"),
        _(
            "The app's API secret key; for webhooks made under Settings → Notifications → Webhooks, "
            "the key shown there."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop_url"].label = _("Shop domain")
        self.fields["shop_url"].help_text = _("e.g. mystore.myshopify.com")


class WooCommerceForm(ConnectForm):
    prefix = "woocommerce"
    credential_fields = ("consumer_key", "consumer_secret", "webhook_secret")
    consumer_key = _secret(
        _("Consumer key"),
        _("In WordPress: WooCommerce → Settings → Advanced → REST API → Add key, with Read permission."),
    )
    consumer_secret = _secret(_("Consumer secret"))
    webhook_secret = _secret(
        _("Webhook secret"),
        _("The secret you type in the webhook you add under WooCommerce → Settings → Advanced → Webhooks."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop_url"].label = _("Site address")
        self.fields["shop_url"].help_text = _("e.g. https://shop.example")


FORMS: dict[str, type[ConnectForm]] = {"shopify": ShopifyForm, "woocommerce": WooCommerceForm}
