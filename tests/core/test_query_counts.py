"""Every list of the API costs the same number of queries per page, however many rows it shows and
however many related rows (assets, items, lines, messages…) each has: no query per row (N+1).

Each case makes a few rows, reads one page (every row on it) counting the queries, makes more rows
with more related rows, and reads the page again: the count must not move.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.services import invitation_create
from apps.brands.services import brand_publishable_key_create
from apps.campaigns import services as campaign_services
from apps.copilot.models import Conversation, Message
from apps.crm.models import Import, ImportRejection
from apps.designs.models import Design, DesignAsset
from apps.designs.services import design_create
from apps.planner import services as planner_services
from apps.planner.models import ChatMessage, PlanItem, PlanVersion
from apps.products.models import Option
from apps.products.services import rect_points, variant_create, view_create
from apps.tenants.models import Role
from apps.webhooks.models import WebhookDelivery, WebhookEvent
from tests.support.campaigns import campaign_make, template_make
from tests.support.clients import bearer, new_key
from tests.support.crm_pages import customer_make, score_make
from tests.support.factories.brands import brand_make
from tests.support.factories.orders import order_make
from tests.support.factories.products import VIEW_SPEC, image_upload, product_make
from tests.support.factories.webhooks import endpoint_make
from tests.support.workspaces import member, owner

FEW, MORE = 2, 6  # rows on the page before, then after; both fit on one page (50)


@dataclass
class Workspace:
    """What the cases hang rows on: the tenant, the key's id, a product, a scenario, an endpoint…"""

    tenant: object
    key_id: int
    product: object = None
    scenario: object = None
    endpoint: object = None
    import_run: object = None
    made: int = 0

    def next(self) -> int:
        self.made += 1
        return self.made


@dataclass(frozen=True)
class Case:
    url: str  # formatted with the Workspace
    make: Callable  # make(workspace, related): one row of the list, with `related` children
    needs: tuple = ()  # parents the fixture makes first: "product", "scenario", "endpoint", "import"
    extra: int = 0  # rows the list shows besides those made (the owner among the members)
    more: int = MORE  # fewer for rows the plan limits (5 brands)

    def path(self, workspace: Workspace) -> str:
        return self.url.format(w=workspace)


# --- rows ------------------------------------------------------------------------------------------


def _design(w: Workspace, related: int, status=Design.Status.READY) -> Design:
    design = design_create(product=w.product.pk, prompt=f"a fox {w.next()}")
    Design.objects.filter(pk=design.pk).update(status=status)
    design.status = status
    views = list(w.product.views.order_by("position"))
    kinds = [DesignAsset.Kind.PREVIEW_JPG, DesignAsset.Kind.THUMB, DesignAsset.Kind.PRINT_PNG]
    for view in views:
        for kind in kinds[: max(1, related)]:
            DesignAsset.objects.create(
                design=design,
                view=view,
                kind=kind,
                file=f"designs/test/{design.pk}/{kind}.png",
                content_type="image/png",
                width=400,
                height=300,
                bytes=1000,
            )
    if related > 1:
        DesignAsset.objects.create(
            design=design, kind=DesignAsset.Kind.ARTWORK, file="a.png", content_type="image/png"
        )
    return design


def _order(w: Workspace, related: int):
    return order_make(*(_design(w, related) for _ in range(related)))


def _member(w: Workspace, related: int):
    return member(w.tenant, Role.EDITOR, email=f"member{w.next()}@alpha.test")


def _invitation(w: Workspace, related: int):
    return invitation_create(
        tenant=w.tenant,
        email=f"invited{w.next()}@example.com",
        role=Role.EDITOR,
        inviter_role=Role.OWNER,
        invited_by=owner(w.tenant),
    )


def _brand(w: Workspace, related: int):
    brand = brand_make()
    if related > 1:
        brand_publishable_key_create(brand=brand, created_by=None)
    return brand


def _audience(w: Workspace, related: int):
    rules = {"segments": ["champions", "loyal"][:related]}
    return campaign_services.audience_save(name=f"Audience {w.next()}", rules=rules, user_id=None)


def _template(w: Workspace, related: int):
    return template_make(name=f"Template {w.next()}")


def _campaign(w: Workspace, related: int):
    return campaign_make(name=f"Campaign {w.next()}")


def _conversation(w: Workspace, related: int):
    conversation = Conversation.objects.create(title=f"Talk {w.next()}", api_key_id=w.key_id)
    for n in range(related):
        Message.objects.create(conversation=conversation, role=Message.Role.USER, text=f"Question {n}")
    return conversation


def _import(w: Workspace, related: int):
    n = w.next()
    import_run = Import.objects.create(
        uuid=f"00000000-0000-0000-0000-{n:012d}",
        kind="customers",
        file=f"crm/imports/{n}.csv",
        original_name=f"{n}.csv",
        rejections={"invalid_email": related},
    )
    for line in range(related):
        ImportRejection.objects.create(import_run=import_run, line=line + 2, reason="invalid_email")
    return import_run


def _rejection(w: Workspace, related: int):
    return ImportRejection.objects.create(import_run=w.import_run, line=w.next() + 1, reason="invalid_email")


def _customer(w: Workspace, related: int):
    customer = customer_make()
    if related > 1:
        score_make(customer, "champions")
    return customer


def _scenario(w: Workspace, related: int):
    scenario = planner_services.scenario_create(name=f"Scenario {w.next()}", user_id=None)
    for n in range(related):
        planner_services.objective_add(scenario=scenario, label=f"Goal {n}", metric="orders", target_value=10)
        planner_services.target_add(scenario=scenario, label=f"Target {n}")
    if related > 1:
        _version(scenario, related)
    return scenario


def _version(scenario, related: int) -> PlanVersion:
    number = scenario.versions.count() + 1
    version = PlanVersion.objects.create(
        scenario=scenario, number=number, summary="A plan", provider="offline"
    )
    for position in range(1, related + 1):
        PlanItem.objects.create(
            version=version,
            position=position,
            format=PlanItem.Format.EMAIL,
            message="Hello",
            channel="e-mail",
            frequency="weekly",
            kpi="orders",
        )
    scenario.current_version = version
    scenario.save(update_fields=["current_version"])
    return version


def _plan(w: Workspace, related: int):
    return _version(w.scenario, related)


def _chat(w: Workspace, related: int):
    return ChatMessage.objects.create(scenario=w.scenario, role=ChatMessage.Role.USER, text=f"Hi {w.next()}")


def _product(w: Workspace, related: int):
    product = product_make(views=[f"view{n}" for n in range(related)])
    for n in range(related):
        variant_create(product=product, name=f"Colour{n}", sku_suffix=f"C{n}")
    return product


def _variant(w: Workspace, related: int):
    n = w.next()
    return variant_create(product=w.product, name=f"Colour{n}", sku_suffix=f"C{n}")


def _view(w: Workspace, related: int):
    return view_create(
        product=w.product,
        mockup=image_upload(40, 30, name="image.png"),
        name=f"side{w.next()}",
        area_points=rect_points(x=5, y=5, width=20, height=10),
        **VIEW_SPEC,
    )


def _option(w: Workspace, related: int):
    return Option.objects.create(product=w.product, name=f"Gift wrap {w.next()}", price_delta=Decimal("2.00"))


def _endpoint(w: Workspace, related: int):
    endpoint, _secret = endpoint_make(f"https://hooks{w.next()}.example.com/in")
    return endpoint


def _delivery(w: Workspace, related: int):
    event = WebhookEvent.objects.create(type="order.created", payload={"n": w.next()})
    return WebhookDelivery.objects.create(event=event, endpoint=w.endpoint, attempt_count=related)


CASES = {
    "designs": Case("/api/v1/designs", _design, needs=("product",)),
    "orders": Case("/api/v1/orders", _order, needs=("product",)),
    "members": Case("/api/v1/members", _member, extra=1),
    "invitations": Case("/api/v1/invitations", _invitation),
    "brands": Case("/api/v1/brands", _brand, more=5),
    "audiences": Case("/api/v1/campaigns/audiences", _audience),
    "templates": Case("/api/v1/campaigns/templates", _template),
    "campaigns": Case("/api/v1/campaigns", _campaign),
    "conversations": Case("/api/v1/copilot/conversations", _conversation),
    "imports": Case("/api/v1/crm/imports", _import),
    "import-rejections": Case(
        "/api/v1/crm/imports/{w.import_run.uuid}/rejections", _rejection, needs=("import",)
    ),
    "customers": Case("/api/v1/crm/customers", _customer),
    "scenarios": Case("/api/v1/planner/scenarios", _scenario),
    "plans": Case("/api/v1/planner/scenarios/{w.scenario.pk}/plans", _plan, needs=("scenario",)),
    "chat": Case("/api/v1/planner/scenarios/{w.scenario.pk}/chat", _chat, needs=("scenario",)),
    "products": Case("/api/v1/products", _product),
    "variants": Case("/api/v1/products/{w.product.pk}/variants", _variant, needs=("product",)),
    "views": Case("/api/v1/products/{w.product.pk}/views", _view, needs=("product",), extra=2),
    "options": Case("/api/v1/products/{w.product.pk}/options", _option, needs=("product",)),
    "webhook-endpoints": Case("/api/v1/webhooks/endpoints", _endpoint),
    "webhook-deliveries": Case(
        "/api/v1/webhooks/endpoints/{w.endpoint.pk}/deliveries", _delivery, needs=("endpoint",)
    ),
}


def _workspace(tenant, key_id: int, needs) -> Workspace:
    workspace = Workspace(tenant=tenant, key_id=key_id)
    if "product" in needs:
        workspace.product = product_make(views=("front", "back"))
    if "scenario" in needs:
        workspace.scenario = planner_services.scenario_create(name="Launch", user_id=None)
    if "endpoint" in needs:
        workspace.endpoint = _endpoint(workspace, 1)
    if "import" in needs:
        workspace.import_run = _import(workspace, 0)
    return workspace


def _page(client, path: str) -> tuple[int, int]:
    """(queries, rows) of one page of `path`, every row on it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 50})
    assert response.status_code == 200, response.content
    body = response.json()  # a cursor page, or the whole list (a product's parts, brands)
    return len(queries), len(body["results"] if isinstance(body, dict) else body)


@pytest.mark.parametrize("name", CASES)
def test_a_list_page_costs_the_same_queries_with_more_rows_and_more_related_rows(tenant, name):
    case = CASES[name]
    key, raw = new_key(tenant)
    client = bearer(raw)
    workspace = _workspace(tenant, key.pk, case.needs)
    for _ in range(FEW):
        case.make(workspace, 1)
    _page(client, case.path(workspace))  # caches warmed: the key, the plan, the workspace

    few_queries, few_rows = _page(client, case.path(workspace))
    for _ in range(case.more - FEW):
        case.make(workspace, 3)
    _page(client, case.path(workspace))  # warmed again: saving a brand forgets the cached key and plan
    more_queries, more_rows = _page(client, case.path(workspace))

    assert (few_rows, more_rows) == (FEW + case.extra, case.more + case.extra)
    assert more_queries == few_queries, (
        f"{name}: {few_queries} queries for {FEW} rows, {more_queries} for {case.more}"
    )


# --- the dashboard's list pages ------------------------------------------------------------------

PAGES = {
    "designs": Case("/designs/", _design, needs=("product",)),
    "orders": Case("/orders/", _order, needs=("product",)),
    "products": Case("/products/", _product),
    "customers": Case("/customers/", _customer),
    "campaigns": Case("/campaigns/", _campaign),
}


def _html_page(client, path: str) -> tuple[int, int]:
    """(queries, rows) of the first page of a dashboard list."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries), len(response.context["page"].object_list)


@pytest.mark.parametrize("name", PAGES)
def test_a_dashboard_list_page_costs_the_same_queries_with_more_rows(tenant, as_role, name):
    case = PAGES[name]
    client = as_role(Role.OWNER)
    workspace = _workspace(tenant, new_key(tenant)[0].pk, case.needs)
    for _ in range(FEW):
        case.make(workspace, 1)
    _html_page(client, case.path(workspace))  # caches warmed

    few_queries, few_rows = _html_page(client, case.path(workspace))
    for _ in range(case.more - FEW):
        case.make(workspace, 3)
    more_queries, more_rows = _html_page(client, case.path(workspace))

    assert (few_rows, more_rows) == (FEW, case.more)
    assert more_queries == few_queries, (
        f"{name}: {few_queries} queries for {FEW} rows, {more_queries} for {case.more}"
    )
