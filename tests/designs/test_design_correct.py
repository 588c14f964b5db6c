"""The brand's correction of a design's text (a typo on an ordered design): its text and print
files change from the same artwork, the text before is kept, and what it refuses changes nothing;
its "after" preview is drawn on the fly through a signed link bound to the workspace."""

import io

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image, ImageChops

from apps.brands.services import brand_update
from apps.core.errors import ValidationFailed
from apps.designs.errors import DesignNotEditable, EditRejected, TextLayersNotAllowed
from apps.designs.models import Design, DesignCorrection
from apps.designs.pipeline import design_side_preview
from apps.designs.services import design_create, design_text_correct
from apps.designs.signing import correction_preview_url
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import REDRAW, pipeline_run, ready_design
from tests.support.factories.orders import order_make
from tests.support.factories.products import product_make
from tests.support.workspaces import host

TYPO = [{"text": "John & Ana", "y": 0.8, "size": 0.15}, {"text": "2026", "y": 0.2}]


@pytest.fixture
def brand(tenant):
    return brand_make()


@pytest.fixture
def ordered(brand) -> Design:
    design = ready_design(product_make(brand=brand), text_layers=TYPO)
    order_make(design)
    return design


def print_png(design: Design) -> bytes:
    with design.assets.get(view__name="front", kind="print_png").file.open("rb") as file:
        return file.read()


def unchanged(design: Design, before: Design) -> bool:
    design.refresh_from_db()
    return (design.status, design.text_layers, design.spec) == (
        "ready",
        before.text_layers,
        before.spec,
    ) and not DesignCorrection.objects.exists()


def test_an_ordered_designs_text_is_corrected_and_drawn_again_from_its_artwork(ordered):
    artwork, before = ordered.assets.get(kind="artwork").file.name, print_png(ordered)

    design = design_text_correct(design=ordered, replacements=[("John", "Jon")], created_by=7)
    assert design.status == "compositing"
    design = pipeline_run(design, REDRAW)

    assert design.status == "ready"
    assert [layer["text"] for layer in design.text_layers] == ["Jon & Ana", "2026"]
    assert [layer["text"] for layer in design.spec["layers"] if layer["type"] == "text"] == [
        "Jon & Ana",
        "2026",
    ]
    assert design.assets.get(kind="artwork").file.name == artwork  # not generated again
    assert Design.objects.count() == 1  # no design counted
    assert print_png(design) != before
    [correction] = design.corrections.all()
    assert correction.replacements == [["John", "Jon"]]
    assert [layer["text"] for layer in correction.text_layers_before] == ["John & Ana", "2026"]
    assert [layer["text"] for layer in correction.text_layers_after] == ["Jon & Ana", "2026"]
    assert correction.created_by == 7
    assert correction.reprinted_at is not None  # its files are drawn


def test_a_wrong_text_not_in_the_design_is_named_and_nothing_changes(ordered):
    with pytest.raises(ValidationFailed) as refused:
        design_text_correct(design=ordered, replacements=[("John", "Jon"), ("Jhon", "Jon")])

    assert refused.value.details == {"wrong": ["“Jhon” is not in the design's text."]}
    assert unchanged(ordered, Design.objects.get(pk=ordered.pk))


@pytest.mark.parametrize("right", ["buy a gun", "Jon & Voldemort"])
def test_new_text_the_moderation_or_the_brands_words_refuse_changes_nothing(ordered, brand, right):
    brand_update(brand=brand, blocked_words=["voldemort"])
    before = Design.objects.get(pk=ordered.pk)

    with pytest.raises(EditRejected):
        design_text_correct(design=ordered, replacements=[("John & Ana", right)])

    assert unchanged(ordered, before)


def test_a_brand_that_no_longer_allows_text_refuses_and_a_design_not_ready_cannot_change(ordered, brand):
    before = Design.objects.get(pk=ordered.pk)
    brand_update(brand=brand, allow_text_layers=False)

    with pytest.raises(TextLayersNotAllowed):
        design_text_correct(design=ordered, replacements=[("John", "Jon")])
    queued = design_create(product=ordered.product_id, prompt="A fox")
    with pytest.raises(DesignNotEditable):
        design_text_correct(design=queued, replacements=[("fox", "cat")])

    assert unchanged(ordered, before)


@pytest.mark.parametrize(
    "replacements",
    [[], [("", "x")], [("John", "John")], [("John", "J" * 201)], [("John",)], [("a", "b")] * 6, "John"],
)
def test_impossible_corrections_are_refused(ordered, replacements):
    with pytest.raises(ValidationFailed):
        design_text_correct(design=ordered, replacements=replacements)


# --- the "after" preview ---------------------------------------------------------------------------


def png(response) -> Image.Image:
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "image/png"
    return Image.open(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )


def test_the_after_preview_is_drawn_with_the_new_text_and_nothing_changes(ordered, tenant):
    url = correction_preview_url(ordered, [("John", "Jon")])
    before = Image.open(io.BytesIO(design_side_preview(ordered))).convert("RGB")

    after = png(Client(HTTP_HOST=host(tenant)).get(url)).convert("RGB")

    assert url.startswith("/designs/corrections/")
    assert url.endswith("/preview.png")
    assert after.size == before.size
    changed = ImageChops.difference(after, before).getbbox()
    assert changed is not None  # the text differs…
    assert changed[1] > before.height * 0.4  # …where it is, low on the print area; the rest is alike
    assert unchanged(ordered, Design.objects.get(pk=ordered.pk))


def test_the_after_preview_refuses_a_tampered_token_and_another_workspace(other_tenant, tenant, ordered):
    url = correction_preview_url(ordered, [("John", "Jon")])
    token = url.split("/")[3]
    with schema_context(other_tenant.schema_name):
        forged_elsewhere = correction_preview_url(ordered, [("John", "Jon")])  # beta naming alpha's design
    here, there = Client(HTTP_HOST=host(tenant)), Client(HTTP_HOST=host(other_tenant))

    assert here.get(url).status_code == 200
    assert (
        here.get(url.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))).status_code == 404
    )
    assert there.get(url).status_code == 404  # alpha's link on beta's host
    assert there.get(forged_elsewhere).status_code == 404  # beta has no such design
    assert here.get(correction_preview_url(ordered, [("Jhon", "Jon")])).status_code == 404
