"""Language switch: French and Simplified Chinese pages, remembered on the account across hosts."""

import pytest
from django.conf import settings
from django.test import Client

from apps.tenants.models import Role, User
from apps.tenants.services import login_handoff_url
from tests.support.workspaces import member


@pytest.mark.parametrize(
    ("language", "strings"),
    [
        ("fr", ["Accueil", "Produits", "Paramètres", "Invitez votre équipe", "Propriétaire"]),
        ("zh-hans", ["首页", "产品", "设置", "邀请您的团队", "所有者"]),
        ("en", ["Home", "Products", "Settings", "Invite your team", "Owner"]),
    ],
)
def test_switching_language_renders_the_dashboard_in_it(as_role, language, strings):
    client = as_role(Role.OWNER)

    response = client.post("/i18n/language/", {"language": language, "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    page = client.get("/")
    assert f'<html lang="{language}">' in page.text
    for string in strings:
        assert string in page.text
    assert User.objects.get(email="owner@alpha.test").language == language


def test_the_public_site_switches_language_for_visitors(public_client):
    public_client.post("/i18n/language/", {"language": "fr", "next": "/"})

    response = public_client.get("/")

    assert "Laissez vos clients créer leur produit avec l’IA." in response.text
    assert "S’inscrire" in response.text


def test_translated_form_errors(public_client):
    public_client.post("/i18n/language/", {"language": "zh-hans", "next": "/accounts/signup/"})

    response = public_client.post("/accounts/signup/", {"workspace_slug": "ab"})

    assert "请使用 3 到 30 个字符。" in response.text


def test_an_unknown_language_changes_nothing(as_role):
    client = as_role(Role.VIEWER)

    response = client.post("/i18n/language/", {"language": "xx", "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(email="viewer@alpha.test").language == ""


def test_the_saved_language_follows_the_person_to_another_workspace(tenant, other_tenant):
    # given someone who chose French, opening beta from a link minted elsewhere
    user = member(other_tenant, Role.VIEWER, email="owner@alpha.test")
    User.objects.filter(pk=user.pk).update(language="fr")
    user.refresh_from_db()
    url = login_handoff_url(user=user, tenant=other_tenant)
    client = Client(HTTP_HOST="beta.localhost")

    response = client.get(url.removeprefix("http://beta.localhost"))

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert "Accueil" in client.get("/").text


def test_language_switch_needs_a_post(as_role):
    assert as_role(Role.VIEWER).get("/i18n/language/").status_code == 405
