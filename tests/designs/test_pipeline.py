"""The design pipeline, step by step in this process, with the offline provider (and a fake OpenAI)."""

import io
from datetime import timedelta

import pytest
import trimesh
from django.utils import timezone
from PIL import Image

from apps.ai.models import AIUsage
from apps.designs.errors import DesignNotCancellable, DesignNotRetryable, TransitionNotAllowed
from apps.designs.models import Design, DesignAsset
from apps.designs.services import (
    design_cancel,
    design_create,
    design_retry,
    design_transition,
    design_variation,
)
from apps.designs.tasks import (
    design_composite_task,
    design_export_task,
    design_generate_task,
    design_moderate_task,
    designs_stalled_requeue_task,
)
from tests.support.broker import broker_messages
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import pipeline_run, views_of
from tests.support.factories.products import image_upload, product_make
from tests.support.fakes.openai import error_reply, image_reply, moderation_reply

K = DesignAsset.Kind
S = Design.Status
STEPS_TO_COMPOSITE = (design_moderate_task, design_generate_task)
VIEW_KINDS = {K.PREVIEW_JPG, K.PREVIEW_WEBP, K.THUMB, K.PRINT_PNG, K.PRINT_PDF}


def asset_kinds(design: Design) -> set[tuple[str | None, str]]:
    return {
        (asset.view.name if asset.view else None, asset.kind)
        for asset in design.assets.select_related("view")
    }


def test_a_design_goes_from_queued_to_ready_with_every_asset(tenant, product):
    # Given a queued design on a product with two views
    product = product_make(views=("front", "back"))
    design = design_create(product=product.pk, prompt="A fox in a snowy forest", text_layers=[{"text": "Hi"}])
    assert (design.status, design.progress) == (S.QUEUED, 0)

    # When the pipeline runs
    design = pipeline_run(design)

    # Then it is ready, with previews and print files per view, the artwork and the 3D model
    assert (design.status, design.step, design.progress) == (S.READY, "done", 100)
    expected = {(None, K.ARTWORK), (None, K.GLB)} | {
        (view, kind) for view in ("front", "back") for kind in VIEW_KINDS
    }
    assert asset_kinds(design) == expected
    assert design.provider == "offline"
    assert design.error_code == ""
    # the print PNG is the print area + bleed at the view's DPI
    front = views_of(product)[0]
    print_png = design.assets.get(view=front, kind=K.PRINT_PNG)
    with print_png.file.open("rb") as file:
        image = Image.open(io.BytesIO(file.read()))
    assert image.size == front.print_size_px == (print_png.width, print_png.height) == (409, 331)
    assert print_png.dpi == 100
    # the vendor-neutral record keeps what is needed to render again
    assert design.spec["parameters"]["seed"] == design.seed
    assert [view["name"] for view in design.spec["views"]] == ["front", "back"]
    assert design.spec["views"][0]["print"] == {
        "width_mm": 100.0, "height_mm": 80.0, "dpi": 100, "bleed_mm": 2.0, "safe_mm": 3.0,
    }  # fmt: skip
    assert [layer["type"] for layer in design.spec["layers"]] == ["artwork", "text"]
    # every provider call was recorded against the design (moderation, generation)
    assert AIUsage.objects.filter(design_id=design.pk).count() >= 2


def test_the_glb_loads_in_trimesh_with_its_texture(tenant, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Sunset over the sea"))

    glb = design.assets.get(kind=K.GLB)
    with glb.file.open("rb") as file:
        scene = trimesh.load(io.BytesIO(file.read()), file_type="glb")

    assert glb.content_type == "model/gltf-binary"
    assert any(getattr(geometry.visual, "material", None) is not None for geometry in scene.geometry.values())


def test_artwork_is_generated_at_the_first_view_aspect_and_flagged_low_dpi_when_upscaled(tenant, settings):
    # Given artwork capped well below the print size
    settings.DESIGN_ARTWORK_MAX_PX = 100
    product = product_make()

    design = pipeline_run(design_create(product=product.pk, prompt="Mountains"))

    artwork = design.assets.get(kind=K.ARTWORK)
    assert (artwork.width, artwork.height) == (100, 81)  # 104 × 84 mm page
    assert design.warnings == ["low_dpi"]


def test_a_redelivered_step_replaces_its_files_instead_of_adding_some(tenant, product):
    # Given a design whose previews were made
    design = design_create(product=product.pk, prompt="Lighthouse")
    pipeline_run(design, steps=(design_moderate_task, design_generate_task, design_composite_task))
    first = {asset.kind: (asset.pk, asset.file.name) for asset in design.assets.all()}
    storage = design.assets.first().file.storage

    # When the composite step runs again (its worker died before the move on was saved)
    Design.objects.filter(pk=design.pk).update(status=S.COMPOSITING)
    design_composite_task.apply(args=[design.pk], throw=True)

    # Then there is still one asset per (view, kind): same rows, new files, old files gone
    again = {asset.kind: (asset.pk, asset.file.name) for asset in design.assets.all()}
    assert again.keys() == first.keys()
    assert design.assets.count() == len(first)
    for kind, (pk, name) in first.items():
        if kind == K.ARTWORK:
            assert again[kind] == (pk, name)
        else:
            assert again[kind][0] == pk
            assert again[kind][1] != name
            assert not storage.exists(name)


def test_a_step_for_a_design_in_another_status_does_nothing(tenant, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Owl"))
    count = design.assets.count()

    design_generate_task.apply(args=[design.pk], throw=True)
    design_moderate_task.apply(args=[10**9], throw=True)  # no such design

    design.refresh_from_db()
    assert (design.status, design.assets.count()) == (S.READY, count)


def test_a_step_run_again_after_its_worker_died_queues_the_next_step_again(tenant, product):
    # Given a design whose generation committed its move on, and whose worker was killed (kill -9)
    # before the composite step was queued (bench/chaos.py hits this window)
    design = pipeline_run(design_create(product=product.pk, prompt="Owl"), steps=STEPS_TO_COMPOSITE)
    assert design.status == S.COMPOSITING
    broker_messages("ai")

    # When the broker hands the generate task out again (acks_late)
    design_generate_task.apply(args=[design.pk], throw=True)

    # Then nothing is generated again, and the composite step is queued, once
    queued = broker_messages("ai")
    assert [(m.headers["task"], m.headers["argsrepr"]) for m in queued] == [
        ("apps.designs.tasks.design_composite_task", f"({design.pk},)")
    ]
    design.refresh_from_db()
    assert design.status == S.COMPOSITING
    # …which finishes the design; the step queued twice is a no-op
    pipeline_run(design, steps=(design_composite_task, design_export_task, design_composite_task))
    assert design.status == S.READY
    assert design.assets.count() == len(asset_kinds(design))


def test_a_stalled_design_has_its_step_queued_again_once(tenant, product, settings):
    # Given a design whose composite task was lost (its worker cut off from Redis mid-step), one
    # whose step is under way, and a ready one, all last touched 10 minutes ago but the second
    settings.DESIGN_STALL_SECONDS = 300
    stalled = pipeline_run(design_create(product=product.pk, prompt="Owl"), steps=STEPS_TO_COMPOSITE)
    working = pipeline_run(design_create(product=product.pk, prompt="Fox"), steps=STEPS_TO_COMPOSITE)
    ready = pipeline_run(design_create(product=product.pk, prompt="Hare"))
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    Design.objects.filter(pk__in=[stalled.pk, ready.pk]).update(updated_at=ten_minutes_ago)
    broker_messages("ai")

    # When the periodic sweep runs twice
    first = designs_stalled_requeue_task.apply().get()
    second = designs_stalled_requeue_task.apply().get()

    # Then the stalled design's step is queued once, and it finishes
    assert (first, second) == (1, 0)
    queued = broker_messages("ai")
    assert [(m.headers["task"], m.headers["argsrepr"]) for m in queued] == [
        ("apps.designs.tasks.design_composite_task", f"({stalled.pk},)")
    ]
    assert pipeline_run(stalled, steps=(design_composite_task, design_export_task)).status == S.READY
    assert Design.objects.get(pk=working.pk).status == S.COMPOSITING


@pytest.mark.parametrize(
    ("prompt", "reason"),
    [("A unicorn on a skateboard", "unicorn"), ("A gun on a table", "gun")],
    ids=["brand word", "built-in word"],
)
def test_moderation_rejects_with_the_reason_and_makes_nothing(tenant, prompt, reason):
    product = product_make(brand=brand_make(blocked_words=["Unicorn"]))

    design = pipeline_run(design_create(product=product.pk, prompt=prompt))

    assert design.status == S.REJECTED
    assert design.error_code == "moderation_rejected"
    assert reason in design.error_message.lower()
    assert design.assets.count() == 0


def test_a_blocked_word_in_a_text_layer_is_rejected_too(tenant):
    product = product_make(brand=brand_make(blocked_words=["secret"]))

    design = pipeline_run(
        design_create(product=product.pk, prompt="Flowers", text_layers=[{"text": "Top SECRET"}])
    )

    assert design.status == S.REJECTED


def test_an_unreadable_mockup_fails_the_design_and_retry_finishes_it_once_fixed(tenant, product):
    # Given a view whose stored mockup got corrupted
    view = views_of(product)[0]
    good = view.mockup.open("rb").read()
    view.mockup.close()
    with view.mockup.storage.open(view.mockup.name, "wb") as file:
        file.write(b"not an image")
    design = pipeline_run(design_create(product=product.pk, prompt="Bees"))

    # Then the design failed with a reason, and cannot be cancelled
    assert design.status == S.FAILED
    assert design.error_code == "render_failed"
    assert "Cannot read" in design.error_message
    with pytest.raises(DesignNotCancellable):
        design_cancel(design=design)

    # When the mockup is fixed and the design retried
    with view.mockup.storage.open(view.mockup.name, "wb") as file:
        file.write(good)
    design = design_retry(design=design)
    assert (design.status, design.progress, design.error_code) == (S.QUEUED, 0, "")
    design = pipeline_run(design)

    # Then it is ready with one asset set
    assert design.status == S.READY
    assert design.assets.filter(kind=K.PREVIEW_JPG).count() == 1
    with pytest.raises(DesignNotRetryable):
        design_retry(design=design)


def test_a_provider_outage_fails_the_design_with_the_reason(tenant, product, fake_openai, settings):
    settings.DESIGN_STEP_MAX_RETRIES = 0
    fake_openai.script(moderation_reply(), error_reply(500, "boom"))

    design = pipeline_run(design_create(product=product.pk, prompt="A calm lake"))

    assert design.status == S.FAILED
    assert design.error_code == "provider_unavailable"

    # and once the provider is back, retry finishes it
    fake_openai.script(moderation_reply(), image_reply((1024, 1024)))
    design = pipeline_run(design_retry(design=design))
    assert design.status == S.READY
    assert design.provider == "openai"


def test_a_rate_limited_generation_is_retried_by_the_task_not_the_sdk(tenant, product, fake_openai, settings):
    # Given a provider that rate limits the image call once, then recovers
    settings.DESIGN_STEP_MAX_RETRIES = 1
    fake_openai.script(moderation_reply(), error_reply(429, "Rate limit reached"), image_reply((1024, 1024)))

    design = pipeline_run(design_create(product=product.pk, prompt="A calm lake"), throw=False)

    # Then the generate task ran again (the SDK did not retry) and the design is ready
    assert design.status == S.READY
    assert [path for path, _body in fake_openai.requests].count("/v1/images/generations") == 2


def test_a_generation_outlives_the_openai_timeout_within_its_time_limits(settings):
    limits = (design_generate_task.soft_time_limit, design_generate_task.time_limit)

    assert settings.OPENAI_TIMEOUT_SECONDS < limits[0] < limits[1]


def test_a_permanent_provider_error_fails_at_once(tenant, product, fake_openai):
    fake_openai.script(moderation_reply(), error_reply(400, "bad prompt", code="invalid_request"))

    design = pipeline_run(design_create(product=product.pk, prompt="Anything"))

    assert design.status == S.FAILED
    assert design.error_code not in ("", "internal_error", "provider_unavailable")


def test_provider_moderation_flagging_rejects(tenant, product, fake_openai):
    fake_openai.script(moderation_reply("violence"))

    design = pipeline_run(design_create(product=product.pk, prompt="Something violent"))

    assert design.status == S.REJECTED


def test_a_prompt_the_provider_refuses_is_rejected_with_its_reason(tenant, product, fake_openai):
    refusal = error_reply(400, "Your request was rejected by the safety system.", code="moderation_blocked")
    fake_openai.script(moderation_reply(), refusal)

    design = pipeline_run(design_create(product=product.pk, prompt="Something the provider refuses"))

    assert design.status == S.REJECTED
    assert design.error_code == "content_policy"
    assert "rejected by the safety system" in design.error_message
    assert not design.assets.exists()


def test_a_text_layer_in_the_brand_default_font_renders(tenant):
    brand = brand_make()
    product = product_make(brand=brand)

    design = design_create(
        product=product.pk, prompt="Flowers", text_layers=[{"text": "Hi", "font": brand.font}]
    )
    design = pipeline_run(design)

    assert design.status == S.READY
    assert design.text_layers[0]["font"] == brand.font == "dejavu-sans"


def test_only_a_queued_design_can_be_cancelled_and_then_never_runs(tenant, product):
    design = design_create(product=product.pk, prompt="Cat")

    design = design_cancel(design=design)
    design = pipeline_run(design)

    assert (design.status, design.assets.count()) == (S.CANCELLED, 0)
    with pytest.raises(DesignNotCancellable):
        design_cancel(design=design)


def test_transitions_outside_the_table_are_refused(tenant, product):
    design = design_create(product=product.pk, prompt="Cat")

    with pytest.raises(TransitionNotAllowed):
        design_transition(design=design, status=S.READY)


def test_a_variation_keeps_the_inputs_with_a_new_seed_and_a_parent(tenant, product):
    design = pipeline_run(design_create(product=product.pk, prompt="Koi", style="watercolor"))

    variation = design_variation(design=design)

    assert (variation.parent_id, variation.prompt, variation.style) == (design.pk, "Koi", "watercolor")
    assert variation.seed != design.seed
    assert list(design.variations.all()) == [variation]


def test_a_photo_is_moderated_and_placed_on_the_artwork(tenant, product):
    design = design_create(product=product.pk, prompt="Family", photo=image_upload(50, 50, color=(255, 0, 0)))
    design = pipeline_run(design)

    assert design.status == S.READY
    assert design.photo.name.startswith("designs/alpha/uploads/")
    assert [layer["type"] for layer in design.spec["layers"]] == ["artwork", "photo"]
