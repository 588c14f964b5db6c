"""Print files are clean and exact: no "offline preview" badge (that is for previews), lossless PDF."""

import io

from PIL import Image
from pypdf import PdfReader

from apps.designs.models import DesignAsset
from apps.designs.services import design_create
from tests.support.factories.designs import pipeline_run, views_of
from tests.support.factories.products import product_make

K = DesignAsset.Kind


def stored(design, view, kind) -> bytes:
    with design.assets.get(view=view, kind=kind).file.open("rb") as file:
        return file.read()


def darkest(image: Image.Image, box) -> int:
    return image.convert("L").crop(box).getextrema()[0]


def test_an_offline_designs_previews_carry_the_badge_and_its_print_files_do_not(tenant):
    # Given an offline design in minimal-line style: empty paper in its bottom-right corner
    product = product_make()
    design = pipeline_run(design_create(product=product.pk, prompt="A lighthouse", style="minimal-line"))
    view = views_of(product)[0]

    png = Image.open(io.BytesIO(stored(design, view, K.PRINT_PNG)))
    pdf_image = PdfReader(io.BytesIO(stored(design, view, K.PRINT_PDF))).pages[0].images[0].image
    preview = Image.open(io.BytesIO(stored(design, view, K.PREVIEW_JPG)))

    # Then the label is in the design's metadata and on the preview, in its corner (the plain
    # mockup outside the print area); the print files' corner is blank paper
    assert design.spec["parameters"]["label"] == "offline preview"
    width, height = preview.size
    assert darkest(preview, (width * 3 // 4, height * 9 // 10, width, height)) < 100
    width, height = png.size  # 409 × 331: the badge would sit in the last 10 % of each side
    corner = (width * 93 // 100, height * 9 // 10, width, height)
    assert darkest(png, corner) > 200
    assert darkest(pdf_image, corner) > 200


def test_the_print_pdf_embeds_the_print_pngs_pixels_losslessly(tenant):
    product = product_make()
    design = pipeline_run(design_create(product=product.pk, prompt="Sunflowers", style="photo"))
    view = views_of(product)[0]

    png = Image.open(io.BytesIO(stored(design, view, K.PRINT_PNG)))
    page = PdfReader(io.BytesIO(stored(design, view, K.PRINT_PDF))).pages[0]
    art = page["/Resources"]["/XObject"]["/Art"].get_object()

    assert art["/Filter"] == "/FlateDecode"
    flat = Image.new("RGB", png.size, "white")
    flat.paste(png, mask=png.getchannel("A"))
    assert page.images[0].image.tobytes() == flat.tobytes()
