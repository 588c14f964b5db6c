"""The audit log: every write by a person or an API key, with before/after, filtered, kept a year."""

import json
from datetime import timedelta

from django.utils import timezone

from apps.audit.labels import OBJECT_LABELS
from apps.audit.models import AuditEntry
from apps.audit.recorder import AUDITED
from apps.audit.services import audit_purge
from apps.brands.services import brand_create
from apps.products.models import Product
from apps.tenants.models import Membership, Role, User
from tests.support.clients import bearer, dashboard_client, new_key, post_json
from tests.support.factories.products import ProductFactory
from tests.support.workspaces import member


def owner_client(tenant):
    return dashboard_client(tenant, User.objects.get(email=f"owner@{tenant.schema_name}.test"))


def test_a_write_with_an_api_key_names_the_key_and_the_new_fields(tenant):
    # Given a key named "ERP sync"
    key, raw = new_key(tenant, scopes=["catalog:write"])
    key.name = "ERP sync"
    key.save(update_fields=["name"])

    # When it creates a brand
    response = post_json(bearer(raw), "/api/v1/brands", {"name": "Maison"})

    # Then the entry says which key did what, with the values written
    assert response.status_code == 201
    entry = AuditEntry.objects.get(tenant=tenant, object_type="brands.brand")
    assert (entry.actor, entry.actor_label, entry.action) == (
        f"key:{key.prefix}",
        f"ERP sync (key:{key.prefix})",
        "create",
    )
    assert entry.object_id == str(response.json()["id"])
    assert entry.changes["name"] == [None, "Maison"]
    assert entry.request_id == response["X-Request-ID"]


def test_a_change_keeps_only_the_fields_that_changed_before_and_after(tenant):
    product = ProductFactory(name="Mug", price="12.00")
    _key, raw = new_key(tenant, scopes=["catalog:write", "products:write"])

    response = bearer(raw).patch(
        f"/api/v1/products/{product.pk}", json.dumps({"name": "Big mug"}), content_type="application/json"
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get(tenant=tenant, object_type="products.product", action="update")
    assert entry.changes == {"name": ["Mug", "Big mug"]}


def test_a_person_changing_a_role_and_deleting_a_product_is_recorded(tenant):
    editor = member(tenant, Role.EDITOR)
    membership = Membership.objects.get(tenant=tenant, user=editor)
    product = ProductFactory(name="Old mug")
    client = owner_client(tenant)

    client.post(f"/settings/team/members/{membership.pk}/role/", {"role": Role.ADMIN})
    client.post(f"/products/{product.pk}/delete/")

    role = AuditEntry.objects.get(tenant=tenant, object_type="tenants.membership", action="update")
    assert role.actor_label == "owner@alpha.test"
    assert role.changes["role"] == ["editor", "admin"]
    deleted = AuditEntry.objects.get(tenant=tenant, object_type="products.product", action="delete")
    assert deleted.object_repr.startswith("Old mug") or "Old mug" in json.dumps(deleted.changes)
    assert not Product.objects.filter(pk=product.pk).exists()


def test_secrets_never_reach_the_log(tenant):
    _key, raw = new_key(tenant, scopes=["webhooks:write"])

    response = post_json(
        bearer(raw),
        "/api/v1/webhooks/endpoints",
        {"url": "https://hooks.example.com/x", "events": ["order.created"]},
    )

    entry = AuditEntry.objects.get(tenant=tenant, object_type="webhooks.webhookendpoint")
    assert "secret" not in entry.changes
    assert response.json()["secret"] not in json.dumps(entry.changes)


def test_the_systems_own_writes_are_not_recorded(tenant):
    brand_create(name="Seeded by a job")  # no request, no task for anybody

    assert not AuditEntry.objects.filter(tenant=tenant).exists()


def test_revoking_a_key_is_recorded_though_it_is_a_bulk_update(tenant):
    key, _raw = new_key(tenant)

    owner_client(tenant).post(f"/settings/api-keys/{key.pk}/revoke/")

    entry = AuditEntry.objects.get(tenant=tenant, object_type="tenants.apikey", action="update")
    assert entry.changes["revoked_at"][0] is None
    assert entry.changes["revoked_at"][1]


def test_the_page_filters_by_who_and_what_for_admins_only(tenant):
    # Given a write by a key and one by a person
    _key, raw = new_key(tenant, scopes=["catalog:write"])
    post_json(bearer(raw), "/api/v1/brands", {"name": "By key"})
    client = owner_client(tenant)
    client.post("/settings/rename/", {"name": "Alpha Studio"})

    # When the owner filters on the key's writes, then on workspaces
    by_key = client.get("/settings/audit/", {"actor": "key:"}).content.decode()
    by_type = client.get("/settings/audit/", {"object_type": "tenants.tenant"}).content.decode()
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER)).get("/settings/audit/")

    # Then each list holds its own entries, and a viewer may not look
    assert "<td>Brand #" in by_key
    assert "<td>Workspace #" not in by_key
    assert "Alpha Studio" in by_type
    assert "<td>Brand #" not in by_type
    assert viewer.status_code == 403


def test_another_workspace_sees_none_of_these_entries(tenant, other_tenant):
    _key, raw = new_key(tenant, scopes=["catalog:write"])
    post_json(bearer(raw), "/api/v1/brands", {"name": "Alpha secret brand"})

    page = owner_client(other_tenant).get("/settings/audit/", HTTP_HOST="beta.localhost").content.decode()

    assert "Alpha secret brand" not in page
    assert AuditEntry.objects.filter(tenant=other_tenant).count() == 0


def test_entries_are_kept_one_year(tenant):
    _key, raw = new_key(tenant, scopes=["catalog:write"])
    post_json(bearer(raw), "/api/v1/brands", {"name": "Old"})
    post_json(bearer(raw), "/api/v1/brands", {"name": "Recent"})
    AuditEntry.objects.filter(changes__name=[None, "Old"]).update(
        created_at=timezone.now() - timedelta(days=366)
    )

    assert audit_purge() == 1
    brands = AuditEntry.objects.filter(object_type="brands.brand")
    assert list(brands.values_list("changes__name", flat=True)) == [[None, "Recent"]]


def test_the_page_names_what_changed_in_the_readers_language(tenant):
    # Given a product created and repriced by a person, then viewed in French
    client = owner_client(tenant)
    client.post("/i18n/language/", {"language": "fr", "next": "/"})
    product = ProductFactory(name="Mug")
    AuditEntry.objects.create(
        tenant=tenant,
        actor="user:1",
        actor_label="owner@alpha.test",
        action="update",
        object_type="products.variant",
        object_id=str(product.pk),
        object_repr="MUG-BLK",
        changes={"price_delta": ["0.00", "1.50"]},
    )
    AuditEntry.objects.create(
        tenant=tenant,
        actor="user:1",
        actor_label="owner@alpha.test",
        action="create",
        object_type="orders.order",
        object_id="7",
        object_repr="LU-000007",
        changes={},
    )

    # When the owner opens the audit log
    page = client.get("/settings/audit/").content.decode()

    # Then models, fields and actions are named in French, never by their keys
    assert "<td>Variante #" in page
    assert "<td>Commande #" in page
    assert "<dt>différence de prix</dt>" in page
    assert '<span class="badge audit-update">Modifié</span>' in page
    assert "orders.order" not in page.replace('value="orders.order"', "")
    assert "products.variant" not in page.replace('value="products.variant"', "")
    assert "price_delta" not in page
    assert '<option value="orders.order">Commande</option>' in page


def test_every_watched_model_has_a_label():
    assert {label.lower() for label in AUDITED} == set(OBJECT_LABELS)
