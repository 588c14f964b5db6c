"""The offline provider: deterministic, exact-size artwork made from the prompt, labelled in its metadata."""

import hashlib
import io
import os
import subprocess
import sys
import time

import pytest
from PIL import Image

from apps.ai.models import AIUsage
from apps.ai.providers import get_provider
from apps.ai.providers.artwork import artwork_draw
from apps.ai.providers.offline import OfflineProvider
from apps.ai.styles import STYLES


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def generate(prompt="A fox in a misty forest", style="illustration", width=400, height=300, seed=7):
    return OfflineProvider().generate_image(prompt=prompt, style=style, width=width, height=height, seed=seed)


@pytest.mark.parametrize("style", list(STYLES))
def test_same_input_gives_byte_identical_png(tenant, style):
    first, second = generate(style=style), generate(style=style)

    assert png(first.image) == png(second.image)


@pytest.mark.parametrize(
    "change", [{"prompt": "A lighthouse under the stars"}, {"seed": 8}, {"style": "pop-art"}], ids=str
)
def test_a_different_prompt_seed_or_style_gives_a_different_image(tenant, change):
    assert png(generate(**change).image) != png(generate().image)


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize(("width", "height"), [(3000, 2400), (2433, 3024), (1, 1), (63, 500), (1024, 1024)])
def test_image_is_rgba_at_exactly_the_requested_size(tenant, style, width, height):
    generated = generate(style=style, width=width, height=height)

    assert generated.image.mode == "RGBA"
    assert generated.image.size == (width, height)


def test_the_artwork_does_not_depend_on_the_process(tenant):
    # A fresh interpreter (another hash seed, no shared state) draws the very same pixels.
    script = (
        "import django, hashlib; django.setup(); "
        "from apps.ai.providers.artwork import artwork_draw; "
        "image = artwork_draw(prompt='A fox', style='watercolor', width=300, height=200, seed=7); "
        "print(hashlib.sha256(image.tobytes()).hexdigest())"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "123"}
    child = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
    here = artwork_draw(prompt="A fox", style="watercolor", width=300, height=200, seed=7)

    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == hashlib.sha256(here.tobytes()).hexdigest()


def test_a_print_sized_image_is_drawn_well_under_a_second(tenant):
    started = time.perf_counter()
    generate(width=3000, height=2400)

    assert time.perf_counter() - started < 1.0


def test_result_is_labelled_offline_and_recorded_against_the_design(tenant):
    generated = OfflineProvider(design_id=42).generate_image(
        prompt="Sunflowers", style="photo", width=200, height=100, seed=1
    )

    assert generated.provider == "offline"
    assert generated.meta == {
        "provider": "offline",
        "model": "luneo-offline-artwork-1",
        "style": "photo",
        "seed": 1,
        "label": "offline preview",
    }
    usage = AIUsage.objects.get()
    assert (usage.provider, usage.operation, usage.units, usage.design_id, usage.ok) == (
        "offline",
        "image.generate",
        1,
        42,
        True,
    )
    assert usage.cost == 0
    assert usage.latency_ms >= 0


def test_the_artwork_carries_no_mark_since_it_is_what_gets_printed(tenant):
    # Minimal line art leaves the corner empty paper, where the label used to be drawn: the
    # label is in the metadata, and the pipeline writes it on the previews only.
    image = generate(style="minimal-line", width=800, height=600).image
    corner = image.crop((744, 576, 800, 600)).convert("L")

    assert corner.getextrema()[0] >= 240


def test_an_empty_style_uses_the_default_and_an_unknown_one_is_refused(tenant):
    assert generate(style="").meta["style"] == "illustration"
    with pytest.raises(ValueError, match="Unknown style"):
        generate(style="cubism")


def test_an_impossible_size_is_refused(tenant):
    with pytest.raises(ValueError, match="outside"):
        generate(width=0, height=10)


def test_auto_is_offline_without_an_openai_key(tenant, settings):
    settings.AI_PROVIDER = "auto"
    settings.OPENAI_API_KEY = ""

    assert get_provider().name == "offline"


def test_auto_is_openai_with_a_key_and_an_unknown_name_is_refused(settings):
    settings.AI_PROVIDER = "auto"
    settings.OPENAI_API_KEY = "sk-test"

    assert get_provider().name == "openai"
    assert get_provider("offline").name == "offline"
    with pytest.raises(ValueError, match="Unknown AI provider"):
        get_provider("dall-e")
