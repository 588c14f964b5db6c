"""schemathesis against the live API: every operation, every check, real keys — no failure.

The whole REST API (secret key) and the widget's API (publishable key, from an allowed origin,
with a shopper session) are fuzzed from `/api/schema/` through real HTTP: examples, coverage,
fuzzing and stateful phases, with every check schemathesis has (server errors, status codes,
content types, headers, response bodies, invalid data rejected, valid data accepted, unsupported
methods, ignored auth, use after free...). Paths name objects that exist and cannot be deleted
(a product in use, a ready design, an order, a campaign's audience and template, the campaign;
the widget's product, design and session), so
operations get past 404; the stateful phase links the rest.
Bounded (examples per operation, a fixed seed) to stay reproducible and fast.
"""

import subprocess
import sys

import pytest

from apps.billing.models import Plan
from apps.billing.services import plan_get, subscription_assign
from apps.brands.services import brand_create, brand_publishable_key_create
from apps.designs.services import design_create
from apps.orders.models import Order
from apps.orders.services import ItemInput, order_create
from apps.storefront.sessions import session_new, session_read
from apps.tenants.services import api_key_create
from tests.support.campaigns import campaign_make
from tests.support.factories.designs import pipeline_run
from tests.support.factories.products import product_make

SHOP = "https://shop.example"
CONFIG = r"""
seed = 1
max-failures = 200

[generation]
max-examples = {max_examples}
# Text on the wire is UTF-8 without NUL: NUL and lone surrogates are refused by the input-hygiene
# layer with 400 `malformed_request`, as the schema's 400 says.
allow-x00 = false
codec = "utf-8"

[checks]
enabled = true

[checks.positive_data_acceptance]
# 413: a multipart form over Django's 1000 fields (long lists go as JSON); 422: well-formed input
# that breaks a rule beyond the schema (a webhook URL on a private network, an Idempotency-Key
# already used for another body) — documented on each operation.
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "413", "422", "429"]

[checks.negative_data_rejection]
# 413 as well: a list over its maxItems in a multipart form can be over Django's 1000 fields first.
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

[phases.stateful.checks.positive_data_acceptance]
# In the stateful phase schemathesis fills a body with values its inferred links take from an
# earlier response (a key named "error" from an error body, say) and still counts the request as
# schema-valid, although the body's schema forbids unknown properties: there a 400 is accepted too;
# the examples, coverage and fuzzing phases check that valid data is accepted.
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "413", "422", "429"]

[auth.openapi.SecretKey]
bearer = "{secret}"

[auth.openapi.PublishableKey]
api_key = "{publishable}"

[[operations]]
include-path-regex = "^/api/v1/widget/"
headers = {{ Origin = "{origin}", X-Luneo-Session = "{session}" }}
parameters = {{ product = "{sku}", public_id = "{design}" }}

[[operations]]
include-path-regex = "^/api/v1/products/\\{{id\\}}$"
parameters = {{ id = {product} }}

[[operations]]
include-path-regex = "^/api/v1/designs/\\{{id\\}}"
parameters = {{ id = "{design}" }}

[[operations]]
include-path-regex = "^/api/v1/orders/\\{{number\\}}"
parameters = {{ number = "{order}" }}

[[operations]]
include-path-regex = "^/api/v1/campaigns/audiences/\\{{id\\}}$"
parameters = {{ id = {audience} }}

[[operations]]
include-path-regex = "^/api/v1/campaigns/templates/\\{{id\\}}$"
parameters = {{ id = {template} }}

[[operations]]
include-path-regex = "^/api/v1/campaigns/\\{{id\\}}"
parameters = {{ id = {campaign} }}
"""
MAX_EXAMPLES = 10
UNLIMITED = 10**9
ADDRESS = {"line1": "1 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "FR"}


@pytest.fixture
def known(tenant, settings) -> dict:
    """Keys of an Enterprise workspace (no plan limits), a shopper session and objects to name.

    Rate limits are lifted: the run makes thousands of requests with one key.
    """
    settings.API_RATE_LIMIT_REQUESTS = settings.WIDGET_RATE_LIMIT_REQUESTS = UNLIMITED
    settings.WIDGET_DESIGNS_PER_HOUR = UNLIMITED
    subscription_assign(tenant=tenant, plan=plan_get(Plan.Code.ENTERPRISE))
    brand = brand_create(name="Maison", allowed_origins=[SHOP])
    product = product_make(brand=brand)
    session = session_new(schema=tenant.schema_name, brand_id=brand.pk)
    design = design_create(
        product=product.pk,
        prompt="a fox in the snow",
        shopper_session=session_read(session, schema=tenant.schema_name, brand_id=brand.pk),
    )
    pipeline_run(design)
    order = order_create(
        source=Order.Source.API,
        items=[ItemInput(design=design)],
        customer={"email": "ada@example.com", "name": "Ada Lovelace"},
        shipping_address=ADDRESS,
    )
    catalog_product = product_make()  # PATCHed and DELETEd by the run: its design keeps it (409 `in_use`)
    design_create(product=catalog_product.pk, prompt="a fox in the snow")
    campaign = campaign_make()  # its audience and template cannot be deleted (409 `…_in_use`)
    _key, secret = api_key_create(tenant=tenant, name="schemathesis")
    _key, publishable = brand_publishable_key_create(brand=brand)
    return {
        "secret": secret,
        "publishable": publishable,
        "origin": SHOP,
        "session": session,
        "sku": product.sku,
        "design": design.public_id,
        "order": order.reference,
        "product": catalog_product.pk,
        "audience": campaign.audience_id,
        "template": campaign.template_id,
        "campaign": campaign.pk,
    }


def test_every_operation_conforms_to_the_schema_under_every_check(live_server, known, tmp_path):
    # Given the live API and a schemathesis configuration with both keys, a session and every check
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(max_examples=MAX_EXAMPLES, **known))

    # When schemathesis runs every phase against the schema the API serves
    result = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli"),
            *("--config-file", str(config), "--no-color", "run", f"{live_server.url}/api/schema/"),
            *("--checks", "all", "--workers", "1", "--report", "junit", "--report-dir", str(tmp_path)),
        ],
        cwd=tmp_path,  # its cache directory
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    # Then it finds no failure at all
    assert result.returncode == 0, result.stdout[-30000:] + result.stderr[-5000:]
