"""The connect forms. Secrets are never rendered back: connected already, a blank one keeps it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import connector_credentials


def _secret(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=200, widget=forms.PasswordInput
    )


class NotionForm(forms.Form):
    prefix = "notion"
    token = _secret(
        _("Integration secret"),
        _(
            "In Notion: Settings → Connections → Develop or manage integrations → New integration "
            "(internal), then copy its secret. Connected already: leave blank to keep it."
        ),
    )
    parent_page_id = forms.CharField(
        label=_("Default parent page"),
        max_length=300,
        help_text=_(
            "The page new pages go under: paste its link (or id), and share it with the integration "
            "(••• → Connections)."
        ),
    )

    def credentials(self) -> dict:
        return {"token": self.cleaned_data["token"]}

    def options(self) -> dict:
        return {"parent_page_id": self.cleaned_data["parent_page_id"]}


class WhatsAppForm(forms.Form):
    prefix = "whatsapp"
    account_sid = forms.CharField(
        label=_("Account SID"), max_length=64, help_text=_("In the Twilio Console, on the account's page.")
    )
    auth_token = _secret(_("Auth Token"), _("Connected already: leave blank to keep it."))
    sender = forms.CharField(
        label=_("WhatsApp sender"), max_length=40, help_text=_("e.g. whatsapp:+14155238886")
    )
    template_order_confirmed = forms.CharField(
        label=_("Template SID: order confirmed"),
        required=False,
        max_length=64,
        help_text=_("Content template (HX…) with {{1}} the first name and {{2}} the order number."),
    )
    template_design_ready = forms.CharField(
        label=_("Template SID: design ready"),
        required=False,
        max_length=64,
        help_text=_("Content template (HX…) with {{1}} the first name and {{2}} the product."),
    )
    template_design_proof = forms.CharField(
        label=_("Template SID: design proof"), required=False, max_length=64
    )

    def credentials(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("account_sid", "auth_token")}

    def options(self) -> dict:
        templates = {name: self.cleaned_data[f"template_{name}"] for name in TEMPLATE_NAMES}
        return {"sender": self.cleaned_data["sender"], "templates": templates}


TEMPLATE_NAMES = ("order_confirmed", "design_ready", "design_proof")
FORMS: dict[str, type[forms.Form]] = {"notion": NotionForm, "whatsapp": WhatsAppForm}


def form_initial(kind: str, connector) -> dict | None:
    """What the form shows of a connector: its settings, never its secret."""
    if connector is None:
        return None
    settings = connector.settings or {}
    if kind == "notion":
        return {"parent_page_id": settings.get("parent_page_id", "")}
    initial = {"account_sid": connector_credentials(connector).get("account_sid", "")}
    initial["sender"] = settings.get("sender", "")
    for name in TEMPLATE_NAMES:
        initial[f"template_{name}"] = (settings.get("templates") or {}).get(name, "")
    return initial
