"""GET /api/v1/members: the key's workspace only, filters, cursor pages."""

from apps.tenants.models import Role
from tests.support.clients import bearer, new_key
from tests.support.workspaces import member


def _emails(response) -> list[str]:
    return [row["email"] for row in response.json()["results"]]


def test_members_lists_the_workspace_people_with_their_roles(tenant, other_tenant):
    # Given alpha with an owner and an editor, and beta with its own people
    member(tenant, Role.EDITOR, email="ed@alpha.test")
    member(other_tenant, Role.ADMIN, email="spy@beta.test")
    _key, raw = new_key(tenant, scopes=["account:read"])

    # When alpha's key lists members
    response = bearer(raw).get("/api/v1/members")

    # Then it sees alpha's people with their roles, newest first, and nobody from beta
    assert response.status_code == 200
    rows = {row["email"]: row["role"] for row in response.json()["results"]}
    assert rows == {"owner@alpha.test": "owner", "ed@alpha.test": "editor"}
    assert _emails(response)[0] == "ed@alpha.test"


def test_members_filter_by_role_and_search_on_email(tenant):
    # Given members of several roles
    member(tenant, Role.VIEWER, email="val@alpha.test")
    member(tenant, Role.VIEWER, email="vic@shop.test")
    member(tenant, Role.ADMIN, email="ada@alpha.test")
    client = bearer(new_key(tenant, scopes=["account:read"])[1])

    # When the key filters by role, then by role and email text
    viewers = client.get("/api/v1/members", {"role": "viewer"})
    searched = client.get("/api/v1/members", {"role": "viewer", "search": "SHOP"})

    # Then each filter narrows the list (search ignores case)
    assert sorted(_emails(viewers)) == ["val@alpha.test", "vic@shop.test"]
    assert _emails(searched) == ["vic@shop.test"]


def test_an_unknown_role_filter_is_a_400_validation_error(tenant):
    # When the role filter is not a role
    response = bearer(new_key(tenant)[1]).get("/api/v1/members", {"role": "emperor"})

    # Then the field is named in the error
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "role" in error["details"]["fields"]


def test_members_are_cursor_paginated_without_gaps_or_repeats(tenant):
    # Given five members in all
    for index in range(4):
        member(tenant, Role.VIEWER, email=f"page{index}@alpha.test")
    client = bearer(new_key(tenant)[1])

    # When the key walks the list two at a time
    seen, url, pages = [], "/api/v1/members?page_size=2", 0
    while url:
        body = client.get(url).json()
        seen += [row["email"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    # Then it sees every member exactly once over three pages
    assert pages == 3
    assert sorted(seen) == sorted({*(f"page{i}@alpha.test" for i in range(4)), "owner@alpha.test"})
    assert len(seen) == 5


def test_a_forged_cursor_is_a_404_in_the_error_format(tenant):
    # When the cursor is not one the API issued
    response = bearer(new_key(tenant)[1]).get("/api/v1/members", {"cursor": "garbage"})

    # Then it is refused in the one error format
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
