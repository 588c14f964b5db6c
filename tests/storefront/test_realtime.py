"""`/ws/widget/designs/<id>/` through a real daphne: from an allowed site, for the shopper's session."""

import json

import pytest
from django.utils import translation
from websockets.exceptions import ConnectionClosed

from apps.brands.services import brand_create, brand_delete, brand_publishable_key_create
from apps.designs.errors import design_error_public
from apps.designs.services import design_cancel, design_create
from apps.storefront.sessions import session_new, session_read
from apps.tenants.models import Role
from apps.tenants.services import tenant_suspend
from tests.support.clients import dashboard_client
from tests.support.factories.brands import BRAND_FORM
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make
from tests.support.processes import closed_with
from tests.support.workspaces import member

pytestmark = pytest.mark.django_db(transaction=True)
SHOP = "https://shop.example"


def receive(socket) -> dict:
    return json.loads(socket.recv(timeout=10))


@pytest.fixture
def shop(tenant):
    """A brand allowing SHOP, its key, a shopper session and a design of that session."""
    brand = brand_create(name="Maison", allowed_origins=[SHOP])
    _key, raw = brand_publishable_key_create(brand=brand)
    sessions = {name: session_new(schema=tenant.schema_name, brand_id=brand.pk) for name in ("own", "other")}
    session_id = session_read(sessions["own"], schema=tenant.schema_name, brand_id=brand.pk)
    design = design_create(product=product_make(brand=brand).pk, prompt="A fox", shopper_session=session_id)
    return raw, sessions, design


def path(design, key: str, session: str) -> str:
    return f"/ws/widget/designs/{design.public_id}/?key={key}&session={session}"


def test_the_shopper_follows_their_design_from_the_merchant_site(daphne, tenant, shop):
    key, sessions, design = shop

    with daphne.websocket(path(design, key, sessions["own"]), host="localhost", origin=SHOP) as socket:
        first = receive(socket)
        pipeline_run(design)
        events = [receive(socket) for _ in range(5)]

    assert first["id"] == design.public_id
    assert first["status"] == "queued"
    assert [event["status"] for event in events] == [
        "moderating",
        "generating",
        "compositing",
        "exporting",
        "ready",
    ]
    assert events[-1]["previews"]["front"].startswith(f"http://localhost:{daphne.port}/designs/assets/")
    assert events[-1]["model_url"].startswith(f"http://localhost:{daphne.port}/designs/assets/")


@pytest.mark.parametrize(
    ("origin", "session_name", "close_code"),
    [
        ("https://evil.example", "own", 4403),  # a site the brand does not allow
        (SHOP, "other", 4404),  # another shopper's design
        (SHOP, "forged", 4403),  # not a session token
    ],
)
def test_other_sites_and_shoppers_are_refused(daphne, tenant, shop, origin, session_name, close_code):
    key, sessions, design = shop
    session = sessions.get(session_name, "forged")

    with daphne.websocket(path(design, key, session), host="localhost", origin=origin) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)

    assert closed.value.rcvd.code == close_code


def origin_removed_in_settings(tenant, brand):
    admin = dashboard_client(tenant, member(tenant, Role.ADMIN))
    form = {**BRAND_FORM, "name": brand.name, "allowed_origins": "https://other-shop.example"}
    assert admin.post(f"/settings/brands/{brand.pk}/", form).status_code == 302


ACCESS_LOSSES = {
    "key rotated": (lambda tenant, brand: brand_publishable_key_create(brand=brand), 4401),
    "brand deleted": (lambda tenant, brand: brand_delete(brand=brand), 4401),
    "workspace suspended": (lambda tenant, brand: tenant_suspend(tenant=tenant), 4403),
    "origin no longer allowed": (origin_removed_in_settings, 4403),
}


@pytest.mark.parametrize("loss", ACCESS_LOSSES)
def test_the_socket_closes_when_its_key_or_workspace_loses_access(daphne, tenant, shop, loss):
    key, sessions, design = shop
    lose_access, expected_code = ACCESS_LOSSES[loss]

    with daphne.websocket(path(design, key, sessions["own"]), host="localhost", origin=SHOP) as socket:
        receive(socket)
        lose_access(tenant, design.product.brand)
        design_cancel(design=design)
        messages, code = closed_with(socket)

    assert (messages, code) == ([], expected_code)


@pytest.mark.parametrize("locale", ["fr", "zh-hans"])
def test_the_socket_speaks_the_shoppers_language_and_never_repeats_a_refused_word(
    daphne, tenant, shop, locale
):
    key, sessions, design = shop
    session_id = session_read(sessions["own"], schema=tenant.schema_name, brand_id=design.product.brand_id)
    refused = pipeline_run(
        design_create(product=design.product_id, prompt="a gun on the table", shopper_session=session_id)
    )
    with translation.override(locale):
        expected = design_error_public(
            code=refused.error_code, message=refused.error_message, spec=refused.spec
        )

    link = path(refused, key, sessions["own"]) + f"&locale={locale}"
    with daphne.websocket(link, host="localhost", origin=SHOP) as socket:
        first = receive(socket)

    assert first["status"] == "rejected"
    assert first["error"] == expected
    assert "gun" not in first["error"]["message"]
    with translation.override("en"):
        english = design_error_public(
            code=refused.error_code, message=refused.error_message, spec=refused.spec
        )
    assert first["error"]["message"] != english["message"]
