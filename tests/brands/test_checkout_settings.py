"""Settings → Brands, the widget checkout's fieldset: the brand's country and its own Stripe key."""

import pytest

from apps.audit.models import AuditEntry
from apps.brands.models import Brand
from apps.brands.selectors import brand_stripe_key
from apps.brands.services import brand_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member

FORM = {
    "name": "Acme",
    "primary_color": "#112233",
    "secondary_color": "#445566",
    "font": "dejavu-sans",
    "default_language": "fr",
    "allowed_origins": "https://shop.example",
}
STRIPE_KEY = "sk_test_" + "a1B2" * 6


@pytest.fixture
def admin(tenant):
    return dashboard_client(tenant, member(tenant, Role.ADMIN))


def test_the_admin_sets_the_country_and_a_stripe_key_kept_encrypted_and_never_shown(admin, tenant):
    brand = brand_create(name="Acme")

    page = admin.get(f"/settings/brands/{brand.pk}/").content.decode()
    saved = admin.post(
        f"/settings/brands/{brand.pk}/", {**FORM, "country": "fr", "stripe_secret_key": STRIPE_KEY}
    )

    brand.refresh_from_db()
    assert 'id="checkout"' in page
    assert "order requests awaiting payment" in page
    assert saved.status_code == 302
    assert brand.country == "FR"
    assert STRIPE_KEY not in brand.stripe_secret_key  # encrypted at rest
    assert brand_stripe_key(brand=brand) == STRIPE_KEY
    after = admin.get(f"/settings/brands/{brand.pk}/").content.decode()
    assert STRIPE_KEY not in after
    assert "sk_test_…a1B2" in after
    assert "/api/v1/widget/payments/stripe" in after  # the webhook endpoint to give Stripe
    # and the audit log says the country changed, but holds nothing of the key
    entry = AuditEntry.objects.get(tenant=tenant, object_type="brands.brand", action="update")
    assert entry.changes["country"] == ["", "FR"]
    assert "stripe_secret_key" not in entry.changes


def test_saving_without_a_key_keeps_it_and_removing_drops_it(admin, tenant):
    brand = brand_create(name="Acme", stripe_secret_key=STRIPE_KEY)

    admin.post(f"/settings/brands/{brand.pk}/", {**FORM, "stripe_secret_key": ""})
    brand.refresh_from_db()
    kept = brand_stripe_key(brand=brand)
    admin.post(f"/settings/brands/{brand.pk}/", {**FORM, "stripe_key_remove": "on"})
    brand.refresh_from_db()

    assert kept == STRIPE_KEY
    assert brand.stripe_secret_key == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"stripe_secret_key": "pk_live_abcdefghijklmnop"}, "stripe_secret_key"),  # a publishable key
        ({"stripe_secret_key": "not a key"}, "stripe_secret_key"),
    ],
)
def test_a_wrong_country_or_key_is_a_form_error(admin, tenant, fields, field):
    response = admin.post("/settings/brands/new/", {**FORM, **fields})

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Brand.objects.exists()
