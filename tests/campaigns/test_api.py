"""The campaigns API: audiences with their live size, templates checked block by block, campaigns
created, scheduled, sent, paused, resumed and cancelled with their progress; scopes, bad input,
conflicts, the plan's e-mails, idempotency and another workspace's key."""

import json

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from apps.billing.entitlements import email_quota_reserve
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.campaigns import services
from apps.campaigns.models import Audience, Campaign, Recipient, Template
from apps.campaigns.sending import batch_send
from tests.support.campaigns import TEMPLATE_CONTENT, campaign_make, template_make
from tests.support.clients import api_client, error_code, post_json
from tests.support.crm_pages import customer_make, item_make, score_make

BASE = "/api/v1/campaigns"
READ = ["campaigns:read"]
READ_WRITE = ["campaigns:read", "campaigns:write"]


def _patch(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


@pytest.fixture
def client(tenant):
    return api_client(tenant, READ_WRITE)


@pytest.fixture
def readers(tenant):
    """Two consenting champions, one who refused, one without an address."""
    ada = customer_make(first_name="Ada", email="ada@example.com", marketing_consent=True)
    bob = customer_make(first_name="Bob", email="bob@example.com", marketing_consent=True)
    eve = customer_make(first_name="Eve", email="eve@example.com", marketing_consent=False)
    nil = customer_make(first_name="Nil", email="", marketing_consent=True)
    for customer in (ada, bob, eve, nil):
        score_make(customer, "champions")
    return {"ada": ada, "bob": bob, "eve": eve, "nil": nil}


# --- audiences -----------------------------------------------------------------------------------


def test_an_audience_is_created_read_with_its_size_changed_listed_and_deleted(client, readers):
    created = post_json(
        client, f"{BASE}/audiences", {"name": "Champions", "rules": {"segments": ["champions"]}}
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["rules"]["segments"] == ["champions"]
    assert body["rules"]["last_purchase"] == ""  # every rule present once stored
    assert body["size"] == {
        "matching": 4,
        "sendable": 2,
        "left_out": {"no_email": 1, "no_consent": 1, "suppressed": 0, "shared": 0},
    }
    path = f"{BASE}/audiences/{body['id']}"
    assert client.get(path).json()["size"]["sendable"] == 2

    changed = _patch(client, path, {"name": "Champions (FR)", "rules": {"languages": ["FR"]}})
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Champions (FR)"
    assert changed.json()["rules"]["languages"] == ["fr"]
    assert changed.json()["size"]["matching"] == 0
    renamed = _patch(client, path, {"name": "Only the name"}).json()
    assert renamed["rules"]["languages"] == ["fr"]  # rules left out stay as they were

    post_json(client, f"{BASE}/audiences", {"name": "Lapsed"})
    listed = client.get(f"{BASE}/audiences?search=only").json()
    assert [row["name"] for row in listed["results"]] == ["Only the name"]
    assert len(client.get(f"{BASE}/audiences").json()["results"]) == 2

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


def test_audiences_come_in_cursor_pages(client, tenant):
    for n in range(5):
        services.audience_save(name=f"Audience {n}", rules={}, user_id=None)

    first = client.get(f"{BASE}/audiences?page_size=3").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 3
    assert len(second["results"]) == 2
    assert second["next"] is None


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"segments": ["vip"]}, "segments"),
        ({"colour": ["red"]}, "colour"),
        ({"last_purchase": "yesterday"}, "last_purchase"),
        ({"abandoned_design": "yes"}, "abandoned_design"),
        ({"countries": [["FR"]]}, "countries"),
        ({"countries": [0]}, "countries"),
        ({"items": {}}, "items"),
        ({"items": "12"}, "items"),
        ({"families": [{"a": 1}]}, "families"),
        ({"languages": ["fr"] * 201}, "languages"),
    ],
)
def test_bad_rules_are_a_400_naming_the_rule(client, rules, field):
    response = post_json(client, f"{BASE}/audiences", {"name": "Bad", "rules": rules})

    assert response.status_code == 400, response.content
    assert error_code(response) == "validation_error"
    assert field in response.json()["error"]["details"]["fields"]["rules"]
    assert not Audience.objects.exists()


def test_rules_naming_a_real_item_are_kept_and_others_are_a_404(client, tenant):
    wine = item_make("RIES-24", "Riesling")

    response = post_json(client, f"{BASE}/audiences", {"name": "Riesling", "rules": {"items": [wine.pk]}})
    unknown = [
        post_json(client, f"{BASE}/audiences", {"name": "X", "rules": {"items": [wine.pk, item]}})
        for item in (999999, 10**30, "１２")
    ]

    assert response.status_code == 201
    assert response.json()["rules"]["items"] == [wine.pk]
    assert {(answer.status_code, error_code(answer)) for answer in unknown} == {(404, "items_not_found")}
    assert Audience.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "Two\nlines"}, 400, "validation_error"),
        ({"name": "x" * 121}, 400, "validation_error"),
        ({"name": ""}, 400, "validation_error"),
        ({"name": 5}, 400, "validation_error"),
        ({"rules": {}}, 400, "validation_error"),
        ({"name": "A", "extra": 1}, 400, "validation_error"),
        ({"name": "A", "rules": []}, 400, "validation_error"),
        ({"name": "A\u0000B"}, 400, "malformed_request"),
    ],
)
def test_bad_audience_bodies_are_refused(client, body, status, code):
    response = post_json(client, f"{BASE}/audiences", body)

    assert response.status_code == status, response.content
    assert error_code(response) == code


def test_absurd_nesting_and_huge_bodies_are_refused_not_crashed(client, settings):
    deep = {"name": "Deep", "rules": {"segments": []}}
    node = deep["rules"]
    for _ in range(200):
        node["segments"] = [{}]
        node = node["segments"][0]
    nested = post_json(client, f"{BASE}/audiences", deep)
    huge = client.post(
        f"{BASE}/templates",
        json.dumps(
            {
                "name": "Huge",
                "content": {"en": {"subject": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}},
            }
        ),
        content_type="application/json",
    )
    not_json = client.post(f"{BASE}/audiences", b"{name: ", content_type="application/json")

    assert (nested.status_code, error_code(nested)) == (400, "malformed_request")
    assert (huge.status_code, error_code(huge)) == (413, "request_too_large")
    assert (not_json.status_code, error_code(not_json)) == (400, "malformed_request")


def test_an_audience_a_campaign_uses_cannot_be_deleted(client, tenant):
    campaign = campaign_make()

    response = client.delete(f"{BASE}/audiences/{campaign.audience_id}")

    assert (response.status_code, error_code(response)) == (409, "audience_in_use")
    assert Audience.objects.filter(pk=campaign.audience_id).exists()


# --- templates -----------------------------------------------------------------------------------


def test_a_template_is_created_read_changed_listed_and_deleted(client, tenant):
    created = post_json(client, f"{BASE}/templates", {"name": "Launch", "content": TEMPLATE_CONTENT})

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["default_language"] == "en"
    assert body["content"]["fr"]["blocks"][0] == {"kind": "heading", "text": "Bonjour {{ first_name }}"}
    path = f"{BASE}/templates/{body['id']}"
    assert client.get(path).json()["name"] == "Launch"

    changed = _patch(client, path, {"name": "Launch (v2)", "default_language": "fr"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["default_language"]) == ("Launch (v2)", "fr")

    empty = post_json(client, f"{BASE}/templates", {"name": "Blank"}).json()
    assert empty["content"] == {"en": {"subject": "Blank", "preheader": "", "blocks": []}}
    assert [row["name"] for row in client.get(f"{BASE}/templates?search=v2").json()["results"]] == [
        "Launch (v2)"
    ]

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ({"en": {"subject": "Hi", "blocks": [{"kind": "button", "label": "Go"}]}}, "Block 1 (Button)"),
        (
            {
                "en": {
                    "subject": "Hi",
                    "blocks": [{"kind": "text", "text": "ok"}, {"kind": "image", "src": "javascript:x"}],
                }
            },
            "Block 2 (Image)",
        ),
        ({"en": {"subject": "Hi", "blocks": [{"kind": ["heading"]}]}}, "Block 1: unknown kind"),
        ({"en": {"subject": "Hi", "blocks": [{"kind": {"a": 1}}]}}, "Block 1: unknown kind"),
        ({"en": {"subject": "Hi", "blocks": "heading"}}, "The blocks must be a list"),
        ({"en": {"subject": "Hi", "blocks": [{"kind": "divider"}] * 41}}, "at most 40 blocks"),
        ({"de": {"subject": "Hallo"}}, "Unknown language"),
        ({"fr": {"subject": "Salut"}}, "default language first"),
        ({"en": {"subject": ""}}, "The subject is required"),
        ({"en": {"subject": "Hi", "blocks": [], "preheader": ["x"]}}, "The preheader is not valid text"),
    ],
)
def test_bad_content_is_a_422_naming_the_block(client, tenant, content, named):
    response = post_json(client, f"{BASE}/templates", {"name": "Bad", "content": content})

    assert response.status_code == 422, response.content
    assert error_code(response) == "template_invalid"
    problems = response.json()["error"]["details"]["fields"]["content"]
    assert any(named in problem for problem in problems), problems
    assert not Template.objects.exists()


def test_content_that_is_not_an_object_is_a_400(client, tenant):
    response = post_json(client, f"{BASE}/templates", {"name": "Bad", "content": []})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert "content" in response.json()["error"]["details"]["fields"]


def test_a_bad_change_leaves_the_template_as_it_was(client, tenant):
    template = template_make()

    response = _patch(
        client,
        f"{BASE}/templates/{template.pk}",
        {"content": {"en": {"subject": "x", "blocks": [{"kind": "?"}]}}},
    )

    assert response.status_code == 422
    template.refresh_from_db()
    assert template.content["en"]["subject"] == TEMPLATE_CONTENT["en"]["subject"]


def test_a_template_a_campaign_uses_cannot_be_deleted(client, tenant):
    campaign = campaign_make()

    response = client.delete(f"{BASE}/templates/{campaign.template_id}")

    assert (response.status_code, error_code(response)) == (409, "template_in_use")


# --- campaigns -----------------------------------------------------------------------------------


def _draft(client, **fields) -> dict:
    audience = services.audience_save(name="Champions", rules={"segments": ["champions"]}, user_id=None)
    body = {"name": "Spring", "audience": audience.pk, "template": template_make().pk, **fields}
    response = post_json(client, BASE, body)
    assert response.status_code == 201, response.content
    return response.json()


def test_a_campaign_is_created_as_a_draft_with_empty_stats(client, tenant):
    body = _draft(client, attribution_days=14)

    assert (body["status"], body["attribution_days"], body["scheduled_at"]) == ("draft", 14, None)
    assert body["progress"]["total"] == body["progress"]["sent"] == 0
    assert body["revenue"] == {"orders": 0, "by_currency": {}}
    assert client.get(f"{BASE}/{body['id']}").json() == body


def test_opens_are_tracked_only_when_asked_and_the_schema_says_why(client, tenant):
    untracked = _draft(client)
    tracked = _draft(client, track_opens=True)

    assert (untracked["track_opens"], tracked["track_opens"]) == (False, True)
    assert Campaign.objects.get(pk=tracked["id"]).track_opens is True
    assert client.get(f"{BASE}/{tracked['id']}").json()["track_opens"] is True
    fields = {key: untracked[key] for key in ("name", "audience", "template")}
    assert post_json(client, BASE, {**fields, "track_opens": "maybe"}).status_code == 400
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    assert "privacy" in schema["CampaignInputRequest"]["properties"]["track_opens"]["description"]
    assert "1×1 image" in schema["CampaignDetail"]["properties"]["track_opens"]["description"]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"audience": 999999}, 404, "audience_not_found"),
        ({"template": 999999}, 404, "template_not_found"),
        ({"audience": 10**30}, 404, "audience_not_found"),
        ({"audience": "abc"}, 400, "validation_error"),
        ({"attribution_days": 0}, 400, "validation_error"),
        ({"attribution_days": 10**9}, 400, "validation_error"),
        ({"name": "  "}, 400, "validation_error"),
        ({"audience": 999999, "name": ""}, 400, "validation_error"),  # other faults first: a 400
    ],
)
def test_bad_campaign_bodies_are_refused(client, tenant, change, status, code):
    audience = services.audience_save(name="All", rules={}, user_id=None)
    body = {"name": "Spring", "audience": audience.pk, "template": template_make().pk, **change}

    response = post_json(client, BASE, body)

    assert response.status_code == status, response.content
    assert error_code(response) == code
    assert not Campaign.objects.exists()


def test_scheduling_needs_a_future_time_with_its_offset(client, tenant):
    path = f"{BASE}/{_draft(client)['id']}/schedule"
    later = (timezone.now() + timezone.timedelta(days=2)).replace(microsecond=0)

    for body, status, code in (
        ({"at": later.replace(tzinfo=None).isoformat()}, 400, "validation_error"),  # no offset
        ({"at": "soon"}, 400, "validation_error"),
        ({"now": "yes"}, 400, "validation_error"),
        ({}, 422, "schedule_invalid"),
        ({"now": False}, 422, "schedule_invalid"),
        ({"at": "2020-01-01T09:00:00+01:00"}, 422, "schedule_invalid"),  # past
        ({"at": later.isoformat(), "now": True}, 422, "schedule_invalid"),
    ):
        response = post_json(client, path, body)
        assert (response.status_code, error_code(response)) == (status, code), body

    scheduled = post_json(client, path, {"at": later.astimezone(timezone.get_fixed_timezone(60)).isoformat()})
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["status"] == "scheduled"
    assert scheduled.json()["scheduled_at"].startswith(later.strftime("%Y-%m-%dT"))


def test_sending_now_shows_the_progress_and_pausing_a_sent_campaign_is_a_409(client, readers, send_eagerly):
    campaign_id = _draft(client)["id"]

    with send_eagerly():
        started = post_json(client, f"{BASE}/{campaign_id}/schedule", {"now": True})

    assert started.status_code == 200, started.content
    body = client.get(f"{BASE}/{campaign_id}").json()
    assert body["status"] == "sent"
    assert body["progress"] | {"percent": 0} == {
        "total": 2,
        "waiting": 0,
        "percent": 0,
        "sent": 2,
        "failed": 0,
        "delivered": 0,
        "opened": 0,
        "clicked": 0,
        "bounced": 0,
        "unsubscribed": 0,
        "complained": 0,
    }
    assert body["progress"]["percent"] == 100
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.com", "bob@example.com"]
    for action in ("pause", "resume", "cancel", "schedule"):
        response = post_json(
            client, f"{BASE}/{campaign_id}/{action}", {"now": True} if action == "schedule" else None
        )
        assert (response.status_code, error_code(response)) == (409, "conflict"), action


def test_a_sending_campaign_is_paused_resumed_and_cancelled(client, readers):
    campaign_id = _draft(client)["id"]
    post_json(client, f"{BASE}/{campaign_id}/schedule", {"now": True})  # sending (its task not run)

    paused = post_json(client, f"{BASE}/{campaign_id}/pause")
    paused_again = post_json(client, f"{BASE}/{campaign_id}/pause")
    resumed = post_json(client, f"{BASE}/{campaign_id}/resume")
    cancelled = post_json(client, f"{BASE}/{campaign_id}/cancel")

    assert paused.json()["status"] == "paused"
    assert (paused_again.status_code, error_code(paused_again)) == (409, "conflict")
    assert resumed.json()["status"] == "sending"
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["progress"]["failed"] == 2  # skipped: never sent
    assert not mail.outbox


def test_the_list_filters_by_status(client, tenant):
    draft = _draft(client, name="Draft one")
    cancelled = _draft(client, name="Cancelled one")
    post_json(client, f"{BASE}/{cancelled['id']}/cancel")

    def names(query: str) -> list[str]:
        response = client.get(f"{BASE}?{query}")
        assert response.status_code == 200, response.content
        return [row["name"] for row in response.json()["results"]]

    assert names("status=draft") == [draft["name"]]
    assert names("status=cancelled") == [cancelled["name"]]
    assert names("") == [cancelled["name"], draft["name"]]  # newest first
    assert client.get(f"{BASE}?status=lost").status_code == 400
    assert client.get(f"{BASE}?status=").status_code == 400


def test_starting_over_the_months_emails_is_a_402_and_queues_nothing(client, tenant, readers):
    plan = plan_get(Plan.Code.PRO)
    plan.emails_per_month = 3
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)
    email_quota_reserve(2, tenant)
    campaign_id = _draft(client)["id"]

    response = post_json(client, f"{BASE}/{campaign_id}/schedule", {"now": True})

    assert (response.status_code, error_code(response)) == (402, "quota_exceeded")
    details = response.json()["error"]["details"]
    assert (details["limit"], details["allowed"], details["used"], details["requested"]) == (
        "emails",
        3,
        2,
        2,
    )
    assert client.get(f"{BASE}/{campaign_id}").json()["status"] == "draft"
    assert not Recipient.objects.exists()


def test_a_campaign_paused_by_the_quota_says_why(client, tenant, readers):
    plan = plan_get(Plan.Code.PRO)
    plan.emails_per_month = 2
    plan.save()
    subscription_assign(tenant=tenant, plan=plan)
    campaign_id = _draft(client)["id"]
    post_json(client, f"{BASE}/{campaign_id}/schedule", {"now": True})
    email_quota_reserve(1, tenant)  # another campaign took one meanwhile

    batch_send(Campaign.objects.get(pk=campaign_id))

    body = client.get(f"{BASE}/{campaign_id}").json()
    assert body["status"] == "paused"
    assert "used up" in body["paused_reason"]
    assert (body["progress"]["sent"], body["progress"]["waiting"]) == (1, 1)


# --- keys, idempotency, other workspaces ---------------------------------------------------------


def test_a_key_needs_the_campaigns_scopes(tenant):
    reader = api_client(tenant, READ)
    stranger = api_client(tenant, ["customers:read", "customers:write"])
    campaign = campaign_make()

    refused = [
        post_json(reader, f"{BASE}/audiences", {"name": "X"}),
        _patch(reader, f"{BASE}/templates/{campaign.template_id}", {"name": "X"}),
        reader.delete(f"{BASE}/audiences/{campaign.audience_id}"),
        post_json(reader, f"{BASE}/{campaign.pk}/cancel"),
        post_json(reader, f"{BASE}/{campaign.pk}/schedule", {"now": True}),
        stranger.get(f"{BASE}/audiences"),
        stranger.get(f"{BASE}/{campaign.pk}"),
    ]

    assert {(response.status_code, error_code(response)) for response in refused} == {
        (403, "insufficient_scope")
    }
    assert reader.get(f"{BASE}/{campaign.pk}").status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_creates_honour_the_idempotency_key(client, tenant):
    body = {"name": "Once", "rules": {"segments": ["champions"]}}

    first = post_json(client, f"{BASE}/audiences", body, idempotency_key="aud-1")
    again = post_json(client, f"{BASE}/audiences", body, idempotency_key="aud-1")
    other = post_json(client, f"{BASE}/audiences", {"name": "Twice"}, idempotency_key="aud-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert (other.status_code, error_code(other)) == (422, "idempotency_key_reused")
    assert Audience.objects.count() == 1
    template = post_json(client, f"{BASE}/templates", {"name": "T"}, idempotency_key="tpl-1")
    assert (
        post_json(client, f"{BASE}/templates", {"name": "T"}, idempotency_key="tpl-1").json()
        == template.json()
    )
    campaign = {"name": "C", "audience": first.json()["id"], "template": template.json()["id"]}
    made = post_json(client, BASE, campaign, idempotency_key="cmp-1")
    assert post_json(client, BASE, campaign, idempotency_key="cmp-1").json()["id"] == made.json()["id"]
    assert (Template.objects.count(), Campaign.objects.count()) == (1, 1)


def test_another_workspaces_key_cannot_read_or_change_these(other_tenant, tenant):
    campaign = campaign_make({"segments": ["champions"]})
    audience, template = campaign.audience, campaign.template
    spare = services.audience_save(name="Spare", rules={}, user_id=None)
    with tenant_context(other_tenant):
        stranger = api_client(other_tenant, READ_WRITE)

    answers = [
        stranger.get(f"{BASE}/audiences/{audience.pk}"),
        _patch(stranger, f"{BASE}/audiences/{audience.pk}", {"name": "Mine"}),
        stranger.delete(f"{BASE}/audiences/{spare.pk}"),
        stranger.get(f"{BASE}/templates/{template.pk}"),
        _patch(stranger, f"{BASE}/templates/{template.pk}", {"name": "Mine"}),
        stranger.delete(f"{BASE}/templates/{template.pk}"),
        stranger.get(f"{BASE}/{campaign.pk}"),
        post_json(stranger, f"{BASE}/{campaign.pk}/schedule", {"now": True}),
        post_json(stranger, f"{BASE}/{campaign.pk}/cancel"),
        post_json(stranger, f"{BASE}/{campaign.pk}/pause"),
        post_json(stranger, f"{BASE}/{campaign.pk}/resume"),
    ]
    lists = [
        stranger.get(path).json()["results"] for path in (f"{BASE}/audiences", f"{BASE}/templates", BASE)
    ]
    borrowed = post_json(stranger, BASE, {"name": "X", "audience": audience.pk, "template": template.pk})

    assert {response.status_code for response in answers} == {404}
    assert lists == [[], [], []]
    assert (borrowed.status_code, error_code(borrowed)) == (404, "audience_not_found")
    with tenant_context(tenant):
        assert Audience.objects.filter(pk=spare.pk).exists()
        campaign.refresh_from_db()
        audience.refresh_from_db()
        template.refresh_from_db()
        assert (campaign.status, audience.name, template.name) == (
            "draft",
            "Riesling 2024 audience",
            "Riesling launch",
        )
        assert not Recipient.objects.exists()


def test_the_schema_documents_every_endpoint_with_its_scope_and_errors(client):
    schema = client.get("/api/schema/?format=json").json()

    paths = {path for path in schema["paths"] if path.startswith("/api/v1/campaigns")}
    assert paths == {
        "/api/v1/campaigns",
        "/api/v1/campaigns/{id}",
        "/api/v1/campaigns/{id}/schedule",
        "/api/v1/campaigns/{id}/cancel",
        "/api/v1/campaigns/{id}/pause",
        "/api/v1/campaigns/{id}/resume",
        "/api/v1/campaigns/audiences",
        "/api/v1/campaigns/audiences/{id}",
        "/api/v1/campaigns/templates",
        "/api/v1/campaigns/templates/{id}",
        "/api/v1/campaigns/automations",
        "/api/v1/campaigns/automations/{kind}",
    }
    schedule = schema["paths"]["/api/v1/campaigns/{id}/schedule"]["post"]
    assert "`campaigns:write`" in schedule["description"]
    assert {"400", "402", "403", "404", "409", "422"} <= set(schedule["responses"])
    create = schema["paths"]["/api/v1/campaigns/audiences"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
    assert "`campaigns:read`" in schema["paths"]["/api/v1/campaigns/audiences"]["get"]["description"]
