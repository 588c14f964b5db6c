"""The first steps of a workspace, shown on its home page until all are done.

Each step is done when the workspace's data says so, read through the owning app's selectors:
nothing is stored about the path itself. A step once done is remembered in the cache for
DONE_SECONDS (the workspace's schema in the key): the home page reads only the steps still to do,
and none once all are done.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.brands.selectors import brand_count, brand_embeddable_exists, brand_list
from apps.designs.selectors import design_list
from apps.orders.selectors import order_list
from apps.products.selectors import product_list, product_list_with_counts
from apps.tenants.models import Membership, Role


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    text: Promise
    done: bool
    url: str | None  # where to do it; None when done, or when the member's role may not


@dataclass(frozen=True)
class Onboarding:
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def _brand_url() -> str:
    brand = brand_list().first()
    return reverse("dashboard:brand", args=[brand.pk]) + "#embed" if brand else reverse("dashboard:brand_new")


def _view_url() -> str:
    product = product_list().first()
    return reverse("dashboard:view_new", args=[product.pk]) if product else reverse("dashboard:product_new")


# key, title, text, the role that may do it, is it done, where to do it
STEPS: list[tuple[str, Promise, Promise, str, Callable[[], bool], Callable[[], str]]] = [
    (
        "brand",
        _("Create a brand"),
        _("Its logo, colours and font dress the widget; it holds the key your shop uses."),
        Role.ADMIN,
        lambda: brand_count() > 0,
        lambda: reverse("dashboard:brand_new"),
    ),
    (
        "product",
        _("Add a product"),
        _("Its SKU, price and 3D shape, under your brand."),
        Role.EDITOR,
        lambda: product_list().exists(),
        lambda: reverse("dashboard:product_new"),
    ),
    (
        "print_area",
        _("Add a mockup and its print area"),
        _("A picture of the product, and where the artwork is printed on it."),
        Role.EDITOR,
        lambda: product_list_with_counts().filter(view_count__gt=0).exists(),
        _view_url,
    ),
    (
        "embed",
        _("Allow your site and embed the widget"),
        _("List your shop's address in the brand, then paste its snippet into a product page."),
        Role.ADMIN,
        brand_embeddable_exists,
        _brand_url,
    ),
    (
        "design",
        _("Make a first design"),
        _("Try a prompt here, or in the widget on your site."),
        Role.EDITOR,
        lambda: design_list().exists(),
        lambda: reverse("dashboard:designs:new"),
    ),
    (
        "order",
        _("Take a first order"),
        _("Shoppers order from the widget; orders also come from your connected shop or the API."),
        Role.VIEWER,
        lambda: order_list().exists(),
        lambda: reverse("dashboard:orders:list"),
    ),
]


DONE_SECONDS = 600


def _done_key() -> str:
    return f"{connection.schema_name}:analytics:onboarding-done"


def onboarding(membership: Membership) -> Onboarding:
    """The workspace's first steps, each ticked when done, with a link for the member if their role may."""
    remembered = cache.get(_done_key(), frozenset())
    steps = []
    for key, title, text, role, is_done, url in STEPS:
        done = key in remembered or is_done()
        link = url() if not done and membership.has_role(role) else None
        steps.append(Step(key=key, title=title, text=text, done=done, url=link))
    done_keys = frozenset(step.key for step in steps if step.done)
    if done_keys != remembered:
        cache.set(_done_key(), done_keys, DONE_SECONDS)
    return Onboarding(steps)
