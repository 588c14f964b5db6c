"""The home page's first steps: each ticked when the workspace's data appears, then the list goes."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.analytics.onboarding import onboarding
from apps.brands.services import brand_create, brand_publishable_key_create, brand_update
from apps.products.models import Product
from apps.products.services import rect_points, view_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.factories.analytics import TODAY, design_on, order_on
from tests.support.factories.products import ProductFactory, image_upload, product_with_view
from tests.support.workspaces import member, owner

STEPS = ["brand", "product", "print_area", "embed", "design", "order"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def ticked(page) -> list[str]:
    html = page.content.decode()
    return re.findall(r'class="onboarding-step is-done" data-step="(\w+)"', html)


def test_each_step_is_ticked_when_its_data_appears_and_the_list_goes_when_all_are(owner_client, tenant):
    def home():
        return owner_client.get("/")

    seen = [ticked(home())]
    brand = brand_create(name="Acme")
    seen.append(ticked(home()))
    product = ProductFactory(brand=brand, status=Product.Status.ACTIVE)
    seen.append(ticked(home()))
    view_create(
        product=product,
        mockup=image_upload(400, 300),
        name="front",
        area_points=rect_points(x=50, y=50, width=250, height=200),
        width_mm=Decimal(250),
        height_mm=Decimal(200),
    )
    seen.append(ticked(home()))
    brand_update(brand=brand, allowed_origins=["https://shop.example"])
    without_key = ticked(home())
    brand_publishable_key_create(brand=brand)
    seen.append(ticked(home()))
    design_on(TODAY, product)
    seen.append(ticked(home()))
    first_page = home().content.decode()
    order_on(TODAY, total="20.00", email="ada@example.com", product=product)
    done = home().content.decode()

    assert seen == [STEPS[:count] for count in range(6)]
    assert without_key == STEPS[:3]  # allowed sites without a key to paste are not an embed
    assert "5 of 6 steps done" in first_page
    assert 'id="onboarding"' not in done


def test_a_new_workspace_ticks_nothing_and_links_each_step_for_its_owner(owner_client, tenant):
    page = owner_client.get("/")

    html = page.content.decode()
    assert page.status_code == 200
    assert ticked(page) == []
    assert "0 of 6 steps done" in html
    for url in ["/settings/brands/new/", "/products/new/", "/designs/new/", "/orders/"]:
        assert f'href="{url}"' in html, url


def test_links_lead_to_the_next_page_to_fill(owner_client, tenant):
    brand = brand_create(name="Acme")
    product = ProductFactory(brand=brand)

    html = owner_client.get("/").content.decode()

    assert f'href="/products/{product.pk}/views/new/"' in html
    assert f'href="/settings/brands/{brand.pk}/#embed"' in html


def test_a_viewer_sees_the_steps_without_links_to_pages_their_role_cannot_open(tenant):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))

    html = viewer.get("/").content.decode()

    assert 'data-step="brand"' in html
    for url in ["/settings/brands/new/", "/products/new/", "/designs/new/"]:
        assert f'href="{url}"' not in html, url


def test_switching_the_period_does_not_send_the_steps_again(owner_client, tenant):
    panel = owner_client.get("/?period=7", HTTP_HX_REQUEST="true")

    assert 'id="onboarding"' not in panel.content.decode()


def _all_steps_done() -> None:
    brand = brand_create(name="Acme", allowed_origins=["https://shop.example"])
    brand_publishable_key_create(brand=brand)
    product, _view = product_with_view(brand=brand, status=Product.Status.ACTIVE)
    design_on(TODAY, product)
    order_on(TODAY, total="20.00", email="ada@example.com", product=product)


def test_a_finished_list_is_remembered_without_queries_for_its_workspace_only(other_tenant, tenant):
    _all_steps_done()
    membership = owner(tenant).memberships.get(tenant=tenant)
    first = onboarding(membership)
    with CaptureQueriesContext(connection) as queries:
        again = onboarding(membership)
    connection.set_tenant(other_tenant)
    elsewhere = onboarding(owner(other_tenant).memberships.get(tenant=other_tenant))

    assert first.complete
    assert again.complete
    assert len(queries) == 0  # the steps were not read again
    assert not elsewhere.complete
    assert [step.done for step in elsewhere.steps] == [False] * len(STEPS)


def test_a_done_step_is_remembered_and_only_the_steps_left_are_read(tenant):
    membership = owner(tenant).memberships.get(tenant=tenant)
    brand_create(name="Acme")
    onboarding(membership)
    with CaptureQueriesContext(connection) as queries:
        again = onboarding(membership)

    counted = [
        query["sql"] for query in queries if "COUNT(*)" in query["sql"] and "brands_brand" in query["sql"]
    ]
    assert [step.key for step in again.steps if step.done] == ["brand"]
    assert counted == []  # the brand step was not read again
    assert any("products_product" in query["sql"] for query in queries)  # the next steps were
