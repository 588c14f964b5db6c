"""Dashboard pages for designs: list, new, detail, actions, role checks; the operators' moderation queue."""

from django.test import Client

from apps.designs.models import Design
from apps.designs.services import design_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client, staff_login
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import image_upload
from tests.support.factories.tenants import UserFactory
from tests.support.workspaces import member


def test_the_list_shows_designs_with_thumbnails_filters_and_search(as_role, product):
    ready = pipeline_run(design_create(product=product.pk, prompt="Golden retriever on a beach"))
    queued = design_create(product=product.pk, prompt="Blue whale")
    viewer = as_role(Role.VIEWER)

    page = viewer.get("/designs/")
    only_queued = viewer.get("/designs/", {"status": "queued"})
    search = viewer.get("/designs/", {"q": "retriever"})

    assert page.status_code == 200
    html = page.content.decode()
    assert "Golden retriever" in html
    assert "Blue whale" in html
    assert 'class="design-thumb" src="/designs/assets/' in html
    assert "New design" not in html  # viewers cannot create
    assert [design.pk for design, _thumb in only_queued.context["rows"]] == [queued.pk]
    assert [design.pk for design, _thumb in search.context["rows"]] == [ready.pk]


def test_the_list_paginates(as_role, product):
    for number in range(26):
        design_create(product=product.pk, prompt=f"Design {number}")

    first = as_role(Role.VIEWER).get("/designs/")
    second = as_role(Role.VIEWER).get("/designs/", {"page": 2})

    assert len(first.context["rows"]) == 24
    assert len(second.context["rows"]) == 2


def test_an_editor_creates_a_design_from_the_form(as_role, product):
    editor = as_role(Role.EDITOR)

    form = editor.get("/designs/new/")
    response = editor.post(
        "/designs/new/",
        {
            "product": product.pk, "prompt": "A lighthouse at night", "style": "watercolor",
            "text": "Hello", "text_color": "#336699", "text_font": "dejavu-serif", 
            "photo": image_upload(40, 40),
        },
    )  # fmt: skip

    assert form.status_code == 200
    design = Design.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/designs/{design.public_id}/"
    assert (design.prompt, design.style, design.status) == ("A lighthouse at night", "watercolor", "queued")
    assert design.text_layers[0]["font"] == "dejavu-serif"
    assert design.photo


def test_the_form_shows_service_errors_on_their_field(as_role, product):
    response = as_role(Role.EDITOR).post(
        "/designs/new/", {"product": product.pk, "prompt": "   ", "style": "photo"}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["prompt"]
    assert Design.objects.count() == 0


def test_viewers_cannot_create_or_act(as_role, product):
    design = design_create(product=product.pk, prompt="Cat")
    viewer = as_role(Role.VIEWER)

    assert viewer.get("/designs/new/").status_code == 403
    assert viewer.post(f"/designs/{design.public_id}/cancel/").status_code == 403
    assert viewer.post(f"/designs/{design.public_id}/variations/").status_code == 403
    design.refresh_from_db()
    assert design.status == "queued"


def test_the_detail_of_a_ready_design_has_previews_downloads_and_the_3d_view(as_role, product):
    parent = design_create(product=product.pk, prompt="Fox")
    design = pipeline_run(design_create(product=product.pk, prompt="Fox again", parent=parent))

    page = as_role(Role.VIEWER).get(f"/designs/{design.public_id}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-design-socket="/ws/designs/{design.public_id}/"' in html
    assert 'value="100"' in html
    assert "Print PNG" in html
    assert "Print PDF" in html
    assert "<model-viewer" in html
    assert " ar " in html
    assert "vendor/model-viewer/model-viewer.min.js" in html
    assert f'href="/designs/{parent.public_id}/"' in html  # history


def test_editor_actions_cancel_retry_and_vary(as_role, product):
    design = design_create(product=product.pk, prompt="Cat")
    editor = as_role(Role.EDITOR)

    variation = editor.post(f"/designs/{design.public_id}/variations/")
    cancel = editor.post(f"/designs/{design.public_id}/cancel/")
    retry = editor.post(f"/designs/{design.public_id}/retry/", follow=True)

    child = Design.objects.get(parent=design)
    assert variation["Location"] == f"/designs/{child.public_id}/"
    assert cancel["Location"] == f"/designs/{design.public_id}/"
    design.refresh_from_db()
    assert design.status == "cancelled"
    assert "Only a failed design can be retried." in retry.content.decode()


def test_a_design_of_another_workspace_is_not_found(other_tenant, tenant, product):
    design = design_create(product=product.pk, prompt="Cat")
    beta = dashboard_client(other_tenant, member(other_tenant, Role.OWNER))

    assert beta.get(f"/designs/{design.public_id}/", HTTP_HOST="beta.localhost").status_code == 404
    # and an alpha page asked by a beta member on alpha's host is refused
    assert beta.get(f"/designs/{design.public_id}/", HTTP_HOST="alpha.localhost").status_code == 403


def test_the_old_moderation_queue_address_leads_to_the_operators_console(tenant, product):
    operator = UserFactory(email="ops@luneo.test", is_staff=True, is_superuser=True)
    client = staff_login(Client(), operator)

    page = client.get("/admin/designs/moderation/", {"list": "flagged"})

    assert page.status_code == 302
    assert page.url == "/admin/console/moderation/?list=flagged"
    assert (
        Client()
        .get("/admin/designs/moderation/", follow=True)
        .redirect_chain[-1][0]
        .startswith("/accounts/login/")
    )
