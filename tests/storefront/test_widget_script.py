"""The widget's script: served on every host with long-cache headers, ETag/304, and up to date."""

import gzip
import json
import re

import pytest
from django.test import Client
from django.utils import translation

from apps.brands.services import brand_create, brand_publishable_key_create
from apps.storefront.script import EDITOR_SCRIPT, WIDGET_SCRIPT
from apps.storefront.strings import strings
from apps.tenants.services import api_key_create
from widget.build import bundle, editor_bundle

BUDGET_GZIP_BYTES = 15 * 1024
HOSTS = ["localhost", "alpha.localhost"]


@pytest.mark.parametrize("hostname", HOSTS)
def test_the_script_is_served_on_every_host_with_long_cache_headers(tenant, hostname):
    # given a shop page on any site, on the public or on a workspace host
    client = Client(HTTP_HOST=hostname)

    # when the browser loads the script
    response = client.get("/widget/v1/luneo.js")

    # then it gets the built file as JavaScript, cacheable for a day, usable from any origin
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400, stale-while-revalidate=604800"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    assert response.content == WIDGET_SCRIPT.read_bytes()


def test_a_revalidation_with_the_current_etag_gets_304(tenant):
    # given a browser holding the script and its ETag
    client = Client(HTTP_HOST="localhost")
    etag = client.get("/widget/v1/luneo.js")["ETag"]

    # when it revalidates
    response = client.get("/widget/v1/luneo.js", HTTP_IF_NONE_MATCH=etag)

    # then it is told nothing changed, with the same caching headers and no body
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"].startswith("public, max-age=86400")
    assert response.content == b""


def test_a_stale_etag_gets_the_script_again(tenant):
    response = Client(HTTP_HOST="localhost").get("/widget/v1/luneo.js", HTTP_IF_NONE_MATCH='"stale"')

    assert response.status_code == 200
    assert response.content == WIDGET_SCRIPT.read_bytes()


def test_a_browser_accepting_gzip_gets_it_compressed_under_its_own_etag(tenant):
    # given a browser that accepts gzip
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    # when it loads the script, then revalidates it
    response = client.get("/widget/v1/luneo.js")
    again = client.get("/widget/v1/luneo.js", HTTP_IF_NONE_MATCH=response["ETag"])

    # then the body is gzip, the cache varies on the encoding, and the gzip ETag revalidates
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"].endswith('-gzip"')
    assert gzip.decompress(response.content) == WIDGET_SCRIPT.read_bytes()
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "marker"),
    [("/widget/v1/model-viewer.js", b"model-viewer"), ("/widget/v1/editor.js", b"export{Editor}")],
)
def test_the_lazy_modules_are_served_for_the_widget_to_import_from_any_origin(tenant, path, marker):
    response = Client(HTTP_HOST="alpha.localhost").get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert marker in response.content.replace(b" ", b"")


def test_the_script_refuses_writes(tenant):
    response = Client(HTTP_HOST="localhost").post("/widget/v1/luneo.js")

    assert response.status_code == 405


def test_the_committed_build_is_up_to_date():
    # given the sources in widget/src, built in memory as `make widget` would
    built = bundle()

    # then the committed file is exactly that build (else: run `make widget` and commit)
    assert WIDGET_SCRIPT.read_text(encoding="utf-8") == built, "widget/dist/luneo.js is stale: make widget"
    assert EDITOR_SCRIPT.read_text(encoding="utf-8") == editor_bundle(), (
        "luneo-editor.js is stale: make widget"
    )


def test_the_scripts_english_text_is_the_servers_catalogue():
    # given the server's strings in English (what it sends a shopper with no other language)
    with translation.override("en"):
        english = strings()

    # then the script shows exactly those until its configuration arrives
    defaults = json.loads(re.search(r"const DEFAULT_STRINGS=(\{.*?\});", bundle()).group(1))
    assert defaults == english


def test_the_script_fits_the_size_budget():
    size = len(gzip.compress(WIDGET_SCRIPT.read_bytes(), compresslevel=9))

    assert size <= BUDGET_GZIP_BYTES, f"luneo.js is {size} bytes gzipped (budget {BUDGET_GZIP_BYTES})"


@pytest.fixture
def alpha_key(tenant) -> str:
    brand = brand_create(name="Alpha shop", allowed_origins=["https://shop.example"])
    return brand_publishable_key_create(brand=brand)[1]


def test_the_demo_shop_embeds_the_widget_the_official_way(alpha_key):
    # when someone opens the demo page on the workspace's host with its key and a product
    response = Client(HTTP_HOST="alpha.localhost").get(f"/widget/v1/demo?key={alpha_key}&product=MUG-11")

    # then it has the two tags a merchant pastes
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<script src="/widget/v1/luneo.js" data-luneo-key="{alpha_key}" async></script>' in page
    assert '<div data-luneo-product="MUG-11"></div>' in page


@pytest.mark.parametrize("host", ["beta.localhost", "localhost"])
def test_the_demo_shop_shows_no_other_workspaces_widget(alpha_key, other_tenant, host):
    # when the demo page is opened with alpha's key on another workspace's host, or the public one
    response = Client(HTTP_HOST=host).get(f"/widget/v1/demo?key={alpha_key}&product=MUG-11")

    # then there is no such page there
    assert response.status_code == 404
    assert "data-luneo-key" not in response.content.decode()


def test_the_demo_shop_refuses_keys_that_are_not_publishable(tenant):
    _key, secret = api_key_create(tenant=tenant, name="server")

    response = Client(HTTP_HOST="alpha.localhost").get(f"/widget/v1/demo?key={secret}&product=MUG-11")

    assert response.status_code == 404


def test_the_demo_shop_escapes_what_it_is_given(tenant):
    response = Client(HTTP_HOST="localhost").get('/widget/v1/demo?key="><script>&product=x')

    assert b'"><script>' not in response.content


def test_brand_fonts_are_served_for_any_site_to_load(tenant):
    # when a shop page's FontFace loads the brand's font from us
    response = Client(HTTP_HOST="localhost").get("/widget/v1/fonts/DejaVuSans.ttf")

    # then it may (CORS), and may keep it
    assert response.status_code == 200
    assert response["Content-Type"] == "font/ttf"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"].startswith("public, max-age=86400")
    assert response.content[:4] == b"\x00\x01\x00\x00"  # a TrueType font


def test_only_the_bundled_fonts_are_served(tenant):
    response = Client(HTTP_HOST="localhost").get("/widget/v1/fonts/LICENSE-DejaVu.txt")

    assert response.status_code == 404
