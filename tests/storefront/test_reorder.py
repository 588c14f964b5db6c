"""'Reorder my design' links: a signed token in a shop page's address reopens a saved design in
the widget, for the shopper's new session (POST /api/v1/widget/reorders)."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django_tenants.utils import tenant_context

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.storefront.reorder import reorder_design, reorder_url
from tests.support.clients import error_code
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.widget import SHOP, Widget, widget_ready_design

PAGE = "https://shop.example/products/mug?color=blue&size=L#personalize"
DAY = 24 * 3600
CUSTOMER = {"email": "ada@example.com", "name": "Ada Lovelace"}
ADDRESS = {
    "name": "Ada",
    "line1": "1 rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "fr",
}


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["luneo_reorder"][0]


def new_browser(widget: Widget) -> Widget:
    """The shopper, weeks later, opening the e-mail's link: same key, a new session."""
    browser = Widget(widget.key)
    browser.start_session()
    return browser


def reorder(browser: Widget, token):
    return browser.post("reorders", {"token": token})


def order(browser: Widget, design: Design):
    return browser.post(
        "orders", {"design": design.public_id, "customer": CUSTOMER, "shipping_address": ADDRESS}
    )


def test_the_link_keeps_the_page_address_and_reads_back_to_the_design(widget, brand, product):
    design = widget_ready_design(widget, product)

    url = reorder_url(PAGE, design)

    parts = urlsplit(url)
    assert url.startswith("https://shop.example/products/mug?color=blue&size=L&luneo_reorder=")
    assert parts.fragment == "personalize"
    assert reorder_design(token_of(url), brand=brand) == design
    assert token_of(reorder_url("https://shop.example/mug", design)) != ""


def test_a_new_session_opens_the_saved_design_and_orders_it(widget, product):
    # Given a ready design made in an earlier session, and its link in an e-mail
    design = widget_ready_design(
        widget, product, style="watercolor", text_layers=[{"text": "Ada", "x": 0.5, "y": 0.85, "size": 0.08}]
    )
    browser = new_browser(widget)
    assert order(browser, design).status_code == 404  # a design id alone opens nothing

    # When the shopper opens the link in a new browser
    response = reorder(browser, token_of(reorder_url(PAGE, design)))

    # Then the widget gets the design as its design detail shows it, with what its form needs
    assert response.status_code == 200, response.content
    body = response.json()
    detail = widget.get(f"designs/{design.public_id}").json()
    assert body == {
        **detail,
        "product": product.sku,
        "variant": None,
        "prompt": "a fox in the snow",
        "style": "watercolor",
    }
    assert body["status"] == "ready"
    assert body["previews"]
    # And this session may use it as its own: see it, and order it
    assert browser.get(f"designs/{design.public_id}").status_code == 200
    ordered = order(browser, design)
    assert ordered.status_code == 201, ordered.content
    assert ordered.json()["items"][0]["unit_price"] == "20.00"
    # And opening the link again changes nothing
    assert reorder(browser, token_of(reorder_url(PAGE, design))).status_code == 200


def test_a_variation_of_a_reopened_design_belongs_to_the_new_session(widget, product):
    design = widget_ready_design(widget, product)
    browser = new_browser(widget)
    reorder(browser, token_of(reorder_url(PAGE, design)))

    response = browser.post(f"designs/{design.public_id}/variations", headers={"HTTP_IDEMPOTENCY_KEY": "v-1"})

    assert response.status_code == 202, response.content
    assert browser.get(f"designs/{response.json()['id']}").status_code == 200
    assert widget.get(f"designs/{response.json()['id']}").status_code == 404


def test_a_tampered_token_is_a_404(widget, product):
    design = widget_ready_design(widget, product)
    token = token_of(reorder_url(PAGE, design))
    forged = signing.dumps([connection.schema_name, design.public_id], key="not-our-secret", compress=True)
    browser = new_browser(widget)

    answers = [reorder(browser, value) for value in (token[:-2] + "xx", forged, "garbage")]

    assert [(answer.status_code, error_code(answer)) for answer in answers] == [(404, "design_not_found")] * 3
    assert order(browser, design).status_code == 404


@pytest.mark.parametrize(("age_days", "status"), [(399, 200), (401, 404)])
def test_a_link_lasts_400_days(widget, product, monkeypatch, age_days, status):
    design = widget_ready_design(widget, product)
    now = time.time()
    with monkeypatch.context() as travel:  # the e-mail was sent `age_days` ago
        travel.setattr(time, "time", lambda: now - age_days * DAY)
        url = reorder_url(PAGE, design)

    assert reorder(new_browser(widget), token_of(url)).status_code == status


def test_a_design_that_is_not_ready_is_a_404(widget, product):
    widget.start_session()
    queued = widget.post("designs", {"product": product.sku, "prompt": "a fox"}).json()["id"]
    design = Design.objects.get(public_id=queued)

    response = reorder(new_browser(widget), token_of(reorder_url(PAGE, design)))

    assert response.status_code == 404
    assert reorder_design(token_of(reorder_url(PAGE, design)), brand=design.product.brand) is None


def test_a_design_of_another_brand_of_the_workspace_is_a_404(widget, product):
    other_brand = brand_create(name="Other", allowed_origins=[SHOP])
    design = pipeline_run(design_create(product=product_make(brand=other_brand).pk, prompt="a fox"))

    response = reorder(new_browser(widget), token_of(reorder_url(PAGE, design)))

    assert response.status_code == 404


def test_a_token_of_another_workspace_is_a_404(other_tenant, tenant, widget, product):
    # Given a ready design in this workspace (alpha), and links signed in beta: one naming
    # alpha's design, one naming a ready design of beta's own
    design = widget_ready_design(widget, product)
    with tenant_context(other_tenant):
        naming_ours = token_of(reorder_url(PAGE, design))
        beta_brand = brand_create(name="Beta brand", allowed_origins=[SHOP])
        beta_design = pipeline_run(design_create(product=product_make(brand=beta_brand).pk, prompt="owl"))
        theirs = token_of(reorder_url(PAGE, beta_design))
        _key, beta_key = brand_publishable_key_create(brand=beta_brand)
    ours = token_of(reorder_url(PAGE, design))
    browser = new_browser(widget)
    intruder = Widget(beta_key)
    intruder.start_session()

    # When they are sent with alpha's key, and alpha's link with beta's key
    answers = [reorder(browser, naming_ours), reorder(browser, theirs)]
    intruding = reorder(intruder, ours)
    connection.set_tenant(tenant)

    # Then nothing opens, and the design stays out of these sessions' reach
    assert [answer.status_code for answer in answers] == [404, 404]
    assert intruding.status_code == 404
    assert order(browser, design).status_code == 404
    assert reorder(browser, ours).status_code == 200  # the right link, for contrast


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "validation_error"),
        ({"token": 12345}, "validation_error"),
        ({"token": None}, "validation_error"),
        ({"token": ["a"]}, "validation_error"),
        ({"token": "x" * 100_000}, "validation_error"),
        ({"token": "abc", "design": "dsg_x"}, "validation_error"),
        (["token"], "validation_error"),
        ({"token": "abc\x00def"}, "malformed_request"),  # refused with the body, as everywhere
    ],
    ids=["empty", "number", "null", "list", "huge", "unknown-field", "not-an-object", "nul"],
)
def test_a_malformed_body_is_a_400(widget, body, code):
    widget.start_session()

    response = widget.post("reorders", body)

    assert response.status_code == 400, response.content
    assert error_code(response) == code


def test_a_reorder_needs_a_session(widget, product):
    design = widget_ready_design(widget, product)
    widget.session = None

    response = reorder(widget, token_of(reorder_url(PAGE, design)))

    assert response.status_code == 401
    assert error_code(response) == "session_invalid"
