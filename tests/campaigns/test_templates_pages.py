"""The e-mail template pages: list (search, pages, empty state), create, the block editor (add,
move, delete, save, language tabs), its framed preview, "preview as", the test sent to oneself,
duplicate and delete; roles, bad input, and another workspace's people (404)."""

import pytest
from django.core import mail
from django.db import connection

from apps.campaigns.models import Audience, Campaign, Template
from apps.campaigns.templates_services import template_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.crm_pages import customer_make, item_make
from tests.support.factories.products import product_make
from tests.support.workspaces import member

LIST = "/campaigns/templates/"


def edit_url(template, lang: str = "en") -> str:
    return f"/campaigns/templates/{template.pk}/?lang={lang}"


@pytest.fixture
def spring(tenant) -> Template:
    return template_create(
        name="Spring",
        content={
            "en": {
                "subject": 'Spring is here, {{ first_name | "friend" }}',
                "preheader": "New mugs",
                "blocks": [
                    {"kind": "heading", "text": "Hello {{ first_name }}"},
                    {"kind": "text", "text": "Our new mugs are in."},
                    {"kind": "button", "label": "Shop", "url": "https://shop.example/new"},
                ],
            }
        },
    )


def posted(template, *, action: str = "save", lang: str = "en", **changes) -> dict:
    """The editor's form as the page posts it, with the saved blocks."""
    version = template.content.get(lang) or template.content[template.default_language]
    data = {
        "lang": lang,
        "name": template.name,
        "default_language": template.default_language,
        "subject": version["subject"],
        "preheader": version["preheader"],
        "b-count": len(version["blocks"]),
        "action": action,
    }
    for n, block in enumerate(version["blocks"]):
        for key, value in block.items():
            data[f"b-{n}-{key}"] = value
    return {**data, **changes}


def kinds(response) -> list[str]:
    return [block["kind"] for block in response.context["blocks"]]


def test_the_list_shows_a_call_to_action_when_empty(as_role, tenant):
    editor = as_role(Role.EDITOR).get(LIST)
    viewer = as_role(Role.VIEWER).get(LIST)

    assert editor.status_code == 200
    assert "Create your first template" in editor.text
    assert 'href="/campaigns/templates/new/"' in editor.text
    assert "Create your first template" not in viewer.text


def test_the_list_searches_and_pages(as_role, tenant):
    for n in range(27):
        template_create(name=f"Newsletter {n:02d}", subject="News")
    template_create(name="Spring sale", subject="Sale")
    client = as_role(Role.VIEWER)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    found = client.get(LIST, {"q": "spring"})

    assert len(first.context["page"].object_list) == 25
    assert [t.name for t in second.context["page"].object_list] == [
        "Newsletter 25",
        "Newsletter 26",
        "Spring sale",
    ]
    assert [t.name for t in found.context["page"].object_list] == ["Spring sale"]
    assert "No template matches" in client.get(LIST, {"q": "nothing"}).text


def test_an_editor_creates_a_template_and_lands_in_its_editor(as_role, tenant):
    response = as_role(Role.EDITOR).post(
        "/campaigns/templates/new/", {"name": "Welcome", "default_language": "fr", "subject": "Bienvenue"}
    )

    template = Template.objects.get(name="Welcome")
    assert response.status_code == 302
    assert response["Location"] == edit_url(template, "fr")
    assert template.content == {"fr": {"subject": "Bienvenue", "preheader": "", "blocks": []}}


def test_the_editor_adds_moves_and_deletes_blocks_without_saving_until_save(as_role, spring):
    client = as_role(Role.EDITOR)

    added = client.post(edit_url(spring), posted(spring, action="add-products"))
    assert added.status_code == 200
    assert kinds(added) == ["heading", "text", "button", "products"]
    assert 'name="b-3-items-0-ref"' in added.text

    moved = client.post(edit_url(spring), posted(spring, action="up-2"))
    assert kinds(moved) == ["heading", "button", "text"]
    moved = client.post(edit_url(spring), posted(spring, action="down-0"))
    assert kinds(moved) == ["text", "heading", "button"]
    deleted = client.post(edit_url(spring), posted(spring, action="delete-1"))
    assert kinds(deleted) == ["heading", "button"]
    spring.refresh_from_db()
    assert len(spring.content["en"]["blocks"]) == 3  # nothing saved yet

    data = posted(
        spring, subject="Spring!", **{"b-3-kind": "divider", "b-count": 4, "b-1-text": "Mugs & cups"}
    )
    saved = client.post(edit_url(spring), data)

    assert saved.status_code == 302
    spring.refresh_from_db()
    assert spring.content["en"]["subject"] == "Spring!"
    assert [b["kind"] for b in spring.content["en"]["blocks"]] == ["heading", "text", "button", "divider"]
    assert spring.content["en"]["blocks"][1]["text"] == "Mugs & cups"
    assert "The template is saved." in client.get(saved["Location"]).text


def test_a_language_tab_starts_from_the_default_version_and_saves_its_own(as_role, spring):
    client = as_role(Role.EDITOR)

    page = client.get(edit_url(spring, "fr"))
    assert page.context["form"].initial["subject"] == spring.content["en"]["subject"]
    assert kinds(page) == ["heading", "text", "button"]

    response = client.post(edit_url(spring, "fr"), posted(spring, lang="fr", subject="Le printemps"))

    assert response.status_code == 302
    spring.refresh_from_db()
    assert spring.content["fr"]["subject"] == "Le printemps"
    assert spring.content["en"]["subject"].startswith("Spring is here")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"b-0-text": "x" * 20000}, "at most 200 characters"),
        ({"b-count": 4, "b-3-kind": "poll"}, "Block 4: unknown kind of block."),
        ({"b-2-url": "javascript:alert(1)"}, "must be a web address starting with http:// or https://"),
        ({"b-count": 41, **{f"b-{n}-kind": "divider" for n in range(3, 41)}}, "at most 40 blocks"),
        ({"subject": ""}, "This field is required."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(as_role, spring, changes, message):
    before = spring.content
    response = as_role(Role.EDITOR).post(edit_url(spring), posted(spring, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    spring.refresh_from_db()
    assert spring.content == before


def test_nul_bytes_are_refused_before_any_view(as_role, spring):
    response = as_role(Role.EDITOR).post(edit_url(spring), posted(spring, **{"b-0-text": "a\x00b"}))

    assert response.status_code == 400
    spring.refresh_from_db()
    assert spring.content["en"]["blocks"][0]["text"] == "Hello {{ first_name }}"


def test_the_preview_is_the_rendered_email_framed_by_our_pages_only(as_role, spring):
    client = as_role(Role.VIEWER)
    page = client.get(edit_url(spring))

    response = client.get(f"/campaigns/templates/{spring.pk}/preview/?lang=en")

    assert f'<iframe sandbox src="/campaigns/templates/{spring.pk}/preview/?lang=en"' in page.text
    assert response.status_code == 200
    assert "Hello Alex" in response.text  # sample data
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'none'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]  # the editor itself: never framed


def test_preview_as_a_customer_found_by_email(as_role, spring):
    customer_make(first_name="<Loïc>", email="loic@example.fr", language="fr")
    client = as_role(Role.VIEWER)

    found = client.get(edit_url(spring), {"q": "loic@"})
    customer = found.context["matches"][0]
    page = client.get(edit_url(spring), {"customer": customer.pk})
    preview = client.get(
        f"/campaigns/templates/{spring.pk}/preview/", {"lang": "en", "customer": customer.pk}
    )

    assert "loic@example.fr" in found.text
    assert f"/preview/?lang=en&amp;customer={customer.pk}" in page.text
    assert "Hello &lt;Loïc&gt;" in preview.text


def test_send_a_test_to_myself(as_role, tenant, spring):
    customer = customer_make(first_name="Marie", email="marie@example.fr")
    client = as_role(Role.EDITOR)

    response = client.post(f"/campaigns/templates/{spring.pk}/test/", {"lang": "en", "customer": customer.pk})

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [f"{Role.EDITOR}@{tenant.schema_name}.test"]
    assert message.subject == "[Test] Spring is here, Marie"
    assert "Hello Marie" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Hello Marie" in html
    assert tenant.name in message.from_email


def test_duplicate_and_delete(as_role, spring):
    client = as_role(Role.EDITOR)

    duplicated = client.post(f"/campaigns/templates/{spring.pk}/duplicate/")
    copy = Template.objects.get(name="Copy of Spring")
    confirm = client.get(f"/campaigns/templates/{copy.pk}/delete/")
    deleted = client.post(f"/campaigns/templates/{copy.pk}/delete/")

    assert duplicated["Location"] == edit_url(copy)
    assert copy.content == spring.content
    assert confirm.status_code == 200
    assert deleted["Location"] == LIST
    assert not Template.objects.filter(pk=copy.pk).exists()


def test_a_template_used_by_a_campaign_is_kept_with_a_clear_message(as_role, spring):
    Campaign.objects.create(name="Spring", audience=Audience.objects.create(name="All"), template=spring)
    client = as_role(Role.EDITOR)

    confirm = client.get(f"/campaigns/templates/{spring.pk}/delete/")
    response = client.post(f"/campaigns/templates/{spring.pk}/delete/", follow=True)

    assert "A campaign uses this template" in confirm.text
    assert response.status_code == 200
    assert "A campaign uses this template: it cannot be deleted." in response.text
    assert Template.objects.filter(pk=spring.pk).exists()


def test_a_viewer_reads_but_cannot_write(as_role, spring):
    client = as_role(Role.VIEWER)
    base = f"/campaigns/templates/{spring.pk}"

    page = client.get(edit_url(spring))

    assert page.status_code == 200
    assert "<fieldset disabled" in page.text
    assert 'value="save"' not in page.text
    assert client.post(edit_url(spring), posted(spring, subject="Hacked")).status_code == 403
    assert client.get("/campaigns/templates/new/").status_code == 403
    assert client.post(f"{base}/test/", {"lang": "en"}).status_code == 403
    assert client.post(f"{base}/duplicate/").status_code == 403
    assert client.post(f"{base}/delete/").status_code == 403
    spring.refresh_from_db()
    assert spring.content["en"]["subject"].startswith("Spring is here")
    assert Template.objects.count() == 1
    assert mail.outbox == []


def test_another_workspace_cannot_see_edit_preview_or_send_a_template(other_tenant, tenant, spring):
    client = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))
    base = f"/campaigns/templates/{spring.pk}"

    assert list(client.get(LIST).context["page"].object_list) == []
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/", posted(spring, subject="Hacked")).status_code == 404
    assert client.get(f"{base}/preview/").status_code == 404
    assert client.post(f"{base}/test/", {"lang": "en"}).status_code == 404
    assert client.post(f"{base}/duplicate/").status_code == 404
    assert client.get(f"{base}/delete/").status_code == 404
    assert client.post(f"{base}/delete/").status_code == 404
    assert mail.outbox == []
    connection.set_tenant(tenant)  # the requests left beta's schema active
    spring.refresh_from_db()
    assert spring.content["en"]["subject"].startswith("Spring is here")
    assert Template.objects.count() == 1


def test_preview_changes_shows_the_unsaved_version_to_its_author_only(as_role, tenant, spring):
    client = as_role(Role.EDITOR)

    page = client.post(edit_url(spring), posted(spring, action="preview", **{"b-0-text": "Unsaved hello"}))
    preview_url = page.context["preview_url"]
    preview = client.get(preview_url)
    stranger = dashboard_client(tenant, member(tenant, Role.ADMIN)).get(preview_url)

    assert page.status_code == 200
    assert "&draft=" in preview_url
    assert "Unsaved hello" in preview.text
    assert "Unsaved hello" not in stranger.text  # another person's token: the saved version
    assert "Hello Alex" in stranger.text
    spring.refresh_from_db()
    assert spring.content["en"]["blocks"][0]["text"] == "Hello {{ first_name }}"


def test_htmx_swaps_the_preview_frame_as_the_editor_types(as_role, spring):
    client = as_role(Role.EDITOR)
    draft_url = f"/campaigns/templates/{spring.pk}/draft/"

    frame = client.post(draft_url, posted(spring, **{"b-0-text": "Typed"}), headers={"HX-Request": "true"})
    invalid = client.post(draft_url, posted(spring, **{"b-2-url": "nope"}), headers={"HX-Request": "true"})

    assert frame.status_code == 200
    assert frame.text.strip().startswith('<div id="preview-frame"')
    assert "Showing your unsaved changes." in frame.text
    assert "Typed" in client.get(frame.context["preview_url"]).text
    assert "must be a web address" in invalid.text
    assert "Showing the saved version." in invalid.text
    assert as_role(Role.VIEWER).post(draft_url, posted(spring)).status_code == 403


def test_a_language_version_is_removed_but_never_the_default_one(as_role, spring):
    client = as_role(Role.EDITOR)
    client.post(edit_url(spring, "fr"), posted(spring, lang="fr", subject="Le printemps"))

    removed = client.post(edit_url(spring, "fr"), posted(spring, lang="fr", action="remove-version"))
    kept = client.post(edit_url(spring, "en"), posted(spring, action="remove-version"), follow=True)

    assert removed["Location"] == edit_url(spring, "en")
    assert "The default language&#x27;s version cannot be removed." in kept.text
    spring.refresh_from_db()
    assert set(spring.content) == {"en"}


def test_a_products_block_is_filled_from_the_catalogue_and_previewed(as_role, spring):
    mug = product_make()
    client = as_role(Role.EDITOR)

    added = client.post(edit_url(spring), posted(spring, action="add-products"))
    assert (f"product:{mug.pk}", "Mug") in added.context["blocks"][3]["fields"][1]["choices"]
    data = posted(
        spring,
        **{
            "b-count": 4,
            "b-3-kind": "products",
            "b-3-title": "Our mugs",
            "b-3-items-0-ref": f"product:{mug.pk}",
            "b-3-items-0-url": "https://shop.example/mug",
        },
    )
    saved = client.post(edit_url(spring), data)
    preview = client.get(f"/campaigns/templates/{spring.pk}/preview/?lang=en")

    assert saved.status_code == 302
    spring.refresh_from_db()
    assert spring.content["en"]["blocks"][3] == {
        "kind": "products",
        "title": "Our mugs",
        "items": [{"ref": f"product:{mug.pk}", "url": "https://shop.example/mug"}],
    }
    assert "Our mugs" in preview.text
    assert "12.00 EUR" in preview.text


def test_the_designs_block_offers_luneo_products_to_draw_the_designs_on(as_role, spring):
    mug = product_make()
    item_make("RIES-21", "Riesling")  # a catalogue item: no design can be drawn on it
    client = as_role(Role.EDITOR)

    added = client.post(edit_url(spring), posted(spring, action="add-rebuy_design"))
    field = next(f for f in added.context["blocks"][3]["fields"] if f["type"] == "product")
    data = posted(
        spring,
        **{
            "b-count": 4,
            "b-3-kind": "rebuy_design",
            "b-3-count": "2",
            "b-3-product": f"product:{mug.pk}",
            "b-3-label": "Order it again",
            "b-3-url": "https://shop.example/mug",
        },
    )
    saved = client.post(edit_url(spring), data)

    assert field["choices"] == [(f"product:{mug.pk}", "Mug")]
    assert "The product each design was made for" in added.text
    assert saved.status_code == 302
    spring.refresh_from_db()
    assert spring.content["en"]["blocks"][3]["product"] == f"product:{mug.pk}"
