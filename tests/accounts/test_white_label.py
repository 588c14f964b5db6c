"""White-label dashboard and a custom dashboard domain: Pro and up (`white_label`, `custom_domain`)."""

import pytest
from django.test import Client

from apps.accounts.domains import custom_domain_set, custom_domain_verify
from apps.billing.errors import FeatureNotInPlan
from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.tenants.models import Domain, Role, User
from tests.support.clients import dashboard_client
from tests.support.factories.products import image_upload
from tests.support.workspaces import member


@pytest.fixture
def owner(tenant) -> Client:
    return dashboard_client(tenant, User.objects.get(email="owner@alpha.test"))


def on_plan(tenant, code: str) -> None:
    subscription_assign(tenant=tenant, plan=plan_get(code))


def test_pro_sets_the_dashboards_colour_and_logo(tenant, owner, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    response = owner.post("/settings/appearance/", {"color": "#0f766e", "logo": image_upload(200, 60)})

    assert response.status_code == 302
    page = owner.get("/").content.decode()
    assert "--primary: #0F766E" in page
    assert 'class="logo-custom" src="/settings/appearance/logo/"' in page
    logo = owner.get("/settings/appearance/logo/")
    assert logo.status_code == 200
    assert b"".join(logo.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_bad_colour_is_a_form_error(owner, tenant):
    response = owner.post("/settings/appearance/", {"color": "teal"})

    assert response.status_code == 422
    assert "Enter a colour as #RRGGBB" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.dashboard_color == ""


def test_starter_keeps_luneos_look(tenant, owner):
    on_plan(tenant, Plan.Code.STARTER)

    response = owner.post("/settings/appearance/", {"color": "#0F766E"})
    page = owner.get("/settings/").content.decode()

    assert response.status_code == 422
    assert "come with the Pro plan" in response.content.decode()
    assert "come with the Pro plan" in page
    assert "--primary: #0F766E" not in owner.get("/").content.decode()


def test_custom_domains_need_their_plan_feature(tenant):
    on_plan(tenant, Plan.Code.STARTER)

    with pytest.raises(FeatureNotInPlan):
        custom_domain_set(tenant=tenant, domain="studio.example.com")


@pytest.mark.usefixtures("_custom_hosts")
def test_a_custom_domain_shows_its_dns_records_then_serves_the_dashboard_once_proved(tenant, owner, fake_dns):
    # Given an Enterprise workspace that asks for studio.example.com
    on_plan(tenant, Plan.Code.ENTERPRISE)
    owner.post("/settings/domain/", {"domain": "Studio.Example.com"})
    token = Domain.objects.get(domain="studio.example.com").verification_token
    page = owner.get("/settings/").content.decode()
    assert "<code>CNAME</code>" in page
    assert "<code>alpha.localhost</code>" in page
    assert "<code>_luneo-challenge.studio.example.com</code>" in page
    assert f"<code>{token}</code>" in page
    assert "Waiting for DNS" in page

    # While DNS has no TXT record with the token, the domain serves nothing and the check says so
    visitor = Client(HTTP_HOST="studio.example.com")
    assert visitor.get("/").status_code == 400
    failed = owner.post("/settings/domain/check/", follow=True).content.decode()
    assert "was not found yet" in failed

    # When the TXT record holds the workspace's token
    fake_dns.txt["_luneo-challenge.studio.example.com"] = [token]
    checked = owner.post("/settings/domain/check/", follow=True).content.decode()

    # Then it is verified and the dashboard answers there
    assert "studio.example.com is verified" in checked
    assert Domain.objects.get(domain="studio.example.com").verified_at is not None
    assert visitor.get("/").status_code == 302


def test_a_verified_domain_cannot_be_taken_twice_nor_one_under_luneos(tenant, other_tenant, fake_dns):
    on_plan(other_tenant, Plan.Code.ENTERPRISE)
    theirs = custom_domain_set(tenant=other_tenant, domain="shop.example.com")
    fake_dns.txt["_luneo-challenge.shop.example.com"] = [theirs.verification_token]
    custom_domain_verify(domain=theirs)
    on_plan(tenant, Plan.Code.ENTERPRISE)
    client = dashboard_client(tenant, member(tenant, Role.ADMIN))

    taken = client.post("/settings/domain/", {"domain": "shop.example.com"}).content.decode()
    ours = client.post("/settings/domain/", {"domain": "evil.localhost"}).content.decode()

    assert "already used by another workspace" in taken
    assert "not under the Luneo domain" in ours
    assert not Domain.objects.filter(tenant=tenant, is_primary=False).exists()
