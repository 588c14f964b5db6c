"""The operators' moderation console: flagged, rejected and reported designs of every workspace,
approve / reject with a reason / retry as the widget and the API then show them, brands' reports,
daily counts; staff only."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.analytics.demo import demo_history_seed
from apps.audit.models import AuditEntry
from apps.brands.services import brand_create
from apps.designs.models import Design, DesignReview
from apps.designs.services import design_create
from apps.tenants.models import Role
from tests.support.clients import api_client, dashboard_client, operator_client
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import STEPS, pipeline_run, ready_design
from tests.support.factories.products import product_make
from tests.support.workspaces import member

PAGE = "/admin/console/moderation/"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def operator() -> Client:
    """An operator's admin session (created in public; the caller's schema is kept)."""
    tenant = connection.tenant
    connection.set_schema_to_public()
    client = operator_client()
    connection.set_tenant(tenant)
    return client


def act(client: Client, schema: str, design: Design, action: str, **data):
    """POST an action; the test's workspace stays active (a request leaves the public schema on)."""
    tenant = connection.tenant
    response = client.post(f"{PAGE}{schema}/{design.public_id}/{action}/", data)
    connection.set_tenant(tenant)
    return response


def get(client: Client, path: str, data=None):
    tenant = connection.tenant
    response = client.get(path, data)
    connection.set_tenant(tenant)
    return response


def get_as(method, path):
    tenant = connection.tenant
    response = method(path)
    connection.set_tenant(tenant)
    return response


def flagged_design(prompt: str = "A dragon", words=("dragon",)) -> Design:
    brand = brand_create(name=f"Dragons {uuid.uuid4().hex[:6]}", blocked_words=list(words))
    product = product_make(brand=brand)
    return pipeline_run(design_create(product=product.pk, prompt=prompt))


def test_flagged_designs_of_every_workspace_are_listed_with_reason_and_brand_rules(other_tenant, tenant):
    connection.set_tenant(other_tenant)
    beta = flagged_design("A dragon on a castle")
    connection.set_tenant(tenant)
    alpha = flagged_design("A red dragon", words=("dragon", "wyvern"))

    response = get(operator(), PAGE)

    assert response.status_code == 200
    assert [(row["schema"], row["id"]) for row in response.context["rows"]] == [
        ("alpha", alpha.public_id),
        ("beta", beta.public_id),
    ]
    page = response.content.decode()
    assert "A dragon on a castle" in page
    assert "A red dragon" in page
    assert "blocked word: dragon" in page
    assert "dragon, wyvern" in page  # the brand's blocked words
    assert "Dragons " in page


def test_a_brands_report_appears_in_the_console_with_a_signed_preview(tenant):
    product = product_make(brand=brand_make())
    design = ready_design(product)
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))

    reported = viewer.post(f"/designs/{design.public_id}/report/", {"note": "This is a registered logo"})
    empty = viewer.post(f"/designs/{design.public_id}/report/", {"note": "  "})
    connection.set_tenant(tenant)
    response = get(operator(), PAGE, {"list": "reported"})

    assert reported.status_code == 302
    assert design.reports.count() == 1  # the empty note was refused
    assert empty.status_code == 302
    [row] = response.context["rows"]
    assert row["id"] == design.public_id
    assert "This is a registered logo" in response.content.decode()
    assert row["thumb"].startswith("/designs/assets/")
    assert get(Client(), row["thumb"]).status_code == 200
    assert "This is a registered logo" in get(viewer, f"/designs/{design.public_id}/").content.decode()


def test_reject_with_a_reason_reaches_the_widget_and_api_then_retry_and_approve(
    widget, widget_product, tenant
):
    widget.start_session()
    created = widget.post("designs", {"product": widget_product.sku, "prompt": "a gun on a table"})
    design = pipeline_run(Design.objects.get(public_id=created.json()["id"]))
    api = api_client(tenant, ["designs:read"])
    client = operator()
    assert design.status == Design.Status.REJECTED

    no_reason = act(client, "alpha", design, "reject", reason=" ")
    design.refresh_from_db()
    assert design.error_code == "moderation_rejected"  # unchanged: a reason is required
    rejected = act(client, "alpha", design, "reject", reason="Weapons are not printed on mugs")
    widget_view = get_as(widget.get, f"designs/{design.public_id}").json()
    api_view = get_as(api.get, f"/api/v1/designs/{design.public_id}").json()

    assert no_reason.status_code == rejected.status_code == 302
    expected = {"code": "operator_rejected", "message": "Weapons are not printed on mugs"}
    assert (widget_view["status"], widget_view["error"]) == ("rejected", expected)
    assert (api_view["status"], api_view["error"]) == ("rejected", expected)
    entry = AuditEntry.objects.filter(tenant=tenant, object_type="designs.design").latest("pk")
    assert entry.object_id == str(design.pk)
    assert entry.changes["moderation"] == [None, "rejected"]
    assert entry.actor_label == "ops@luneo.test"

    act(client, "alpha", design, "retry")
    assert get_as(widget.get, f"designs/{design.public_id}").json()["status"] == "queued"
    design = pipeline_run(design)  # moderation runs again: flagged again
    assert (design.status, design.error_code) == ("rejected", "moderation_rejected")

    act(client, "alpha", design, "approve")
    assert get_as(widget.get, f"designs/{design.public_id}").json()["status"] == "generating"
    design = pipeline_run(design, STEPS[1:])  # moderation is skipped
    widget_view = get_as(widget.get, f"designs/{design.public_id}").json()
    api_view = get_as(api.get, f"/api/v1/designs/{design.public_id}").json()
    assert (widget_view["status"], widget_view["error"]) == ("ready", None)
    assert (api_view["status"], api_view["error"]) == ("ready", None)
    actions = list(DesignReview.objects.filter(design=design).order_by("pk").values_list("action", flat=True))
    assert actions == ["flagged", "rejected", "retried", "flagged", "approved"]


def test_a_ready_design_rejected_then_approved_is_ready_again_and_its_report_resolved(tenant):
    design = ready_design(product_make(brand=brand_make()))
    design.reports.create(note="Offensive")
    client = operator()

    act(client, "alpha", design, "reject", reason="Offensive content")
    design.refresh_from_db()
    assert (design.status, design.error_message) == ("rejected", "Offensive content")
    assert design.reports.get().resolved_at is not None
    assert get(client, PAGE, {"list": "rejected"}).context["rows"][0]["id"] == design.public_id

    act(client, "alpha", design, "approve")
    design.refresh_from_db()
    assert (design.status, design.error_code) == ("ready", "")

    refused = act(client, "alpha", design, "retry")  # only a rejected or failed design starts again
    design.refresh_from_db()
    assert refused.status_code == 302
    assert design.status == "ready"


def test_counts_per_day_over_the_last_30_days(other_tenant, tenant):
    connection.set_tenant(other_tenant)
    flagged_design()
    connection.set_tenant(tenant)
    first, second = flagged_design(), flagged_design("dragon fire")
    old = DesignReview.objects.create(design=first, action=DesignReview.Action.APPROVED)
    DesignReview.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    too_old = DesignReview.objects.create(design=first, action=DesignReview.Action.FLAGGED)
    DesignReview.objects.filter(pk=too_old.pk).update(created_at=timezone.now() - timedelta(days=40))
    client = operator()
    act(client, "alpha", second, "reject", reason="No dragons")

    daily = get(client, PAGE).context["daily"]

    assert len(daily) == 30
    today, three_days_ago = daily[0], daily[3]
    assert (today["flagged"], today["rejected"], today["approved"]) == (3, 1, 0)
    assert (three_days_ago["flagged"], three_days_ago["approved"]) == (0, 1)
    assert sum(row["flagged"] for row in daily) == 3


def test_the_old_queue_address_leads_to_the_console_and_the_index_links_it(tenant):
    client = operator()

    sections = {str(section["name"]): section for section in get(client, "/admin/").context["app_list"]}

    assert get(client, "/admin/designs/moderation/").url == PAGE
    assert [model["admin_url"] for model in sections["Moderation"]["models"]] == [PAGE]


def test_people_who_are_not_staff_are_refused(tenant):
    design = flagged_design()
    owner = member(tenant, Role.OWNER)
    client = Client()
    client.force_login(owner)

    page = get(client, PAGE)
    action = act(client, "alpha", design, "approve")
    anonymous = get(Client(), PAGE)

    design.refresh_from_db()
    assert page.status_code == action.status_code == anonymous.status_code == 302
    assert "/admin/login/" in page.url
    assert design.status == Design.Status.REJECTED


def test_the_demo_historys_rejected_designs_carry_their_reason_and_are_counted(tenant):
    product_make(brand=brand_create(name="Demo", blocked_words=["hate"]))

    demo_history_seed(days=4)

    rejected = Design.objects.filter(status=Design.Status.REJECTED)
    assert rejected.exists()
    assert not rejected.filter(error_message="").exists()
    flagged = DesignReview.objects.filter(action=DesignReview.Action.FLAGGED)
    assert flagged.count() == rejected.count()
    assert not flagged.filter(reason="").exists()
