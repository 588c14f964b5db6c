"""Catalog services and the rules the database itself keeps."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from apps.core.uploads import UploadInvalid
from apps.products.errors import CatalogInvalid, NameTaken, PrintAreaInvalid, SkuTaken
from apps.products.models import Option, Product, View
from apps.products.services import (
    catalog_seed_demo,
    print_area_validate,
    product_create,
    product_update,
    rect_points,
    variant_create,
    view_create,
    view_update,
)
from tests.support.factories.products import ProductFactory, image_upload, product_with_view


def test_product_create_makes_a_draft_and_a_taken_sku_is_409(tenant):
    product = product_create(sku=" MUG-1 ", name="Mug", price=Decimal("9.90"))

    assert (product.sku, product.status, product.currency) == ("MUG-1", Product.Status.DRAFT, "EUR")
    with pytest.raises(SkuTaken) as caught:
        product_create(sku="MUG-1", name="Other", price=1)
    assert caught.value.status == 409


def test_product_create_refuses_unknown_fields_and_bad_choices(tenant):
    with pytest.raises(CatalogInvalid) as unknown:
        product_create(sku="A", name="A", price=1, colour="red")
    with pytest.raises(CatalogInvalid) as bad:
        product_create(sku="A", name="A", price=1, currency="XXX")

    assert unknown.value.details == {"unknown_fields": ["colour"]}
    assert "currency" in bad.value.details["fields"]


def test_a_custom_glb_shape_needs_a_glb_model(tenant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(CatalogInvalid):
        product_create(sku="G", name="G", price=1, shape=Product.Shape.CUSTOM_GLB)
    with pytest.raises(UploadInvalid):
        product_create(
            sku="G", name="G", price=1, shape="custom_glb", base_model=SimpleUploadedFile("x.glb", b"nope")
        )

    product = product_create(
        sku="G",
        name="G",
        price=1,
        shape="custom_glb",
        base_model=SimpleUploadedFile("x.glb", b"glTF" + bytes(8)),
    )
    assert product.base_model.name.endswith(".glb")


@pytest.mark.parametrize(
    "row",
    [
        {"sku": "", "name": "x", "price": 1},
        {"sku": "N", "name": "x", "price": -1},
    ],
)
def test_the_database_refuses_empty_skus_and_negative_prices(tenant, row):
    with pytest.raises(IntegrityError):
        Product.objects.create(**row)


def test_the_database_refuses_a_view_without_a_positive_size(tenant):
    product, view = product_with_view()

    with pytest.raises(IntegrityError):
        View.objects.filter(pk=view.pk).update(width_mm=0)


def test_a_view_records_its_mockup_size_and_its_print_file_size(tenant):
    product, view = product_with_view()

    assert (view.mockup_width, view.mockup_height) == (400, 300)
    assert view.area_points == [[50, 50], [300, 50], [300, 250], [50, 250]]
    # 250 × 200 mm + 3 mm bleed on each side at 300 DPI
    assert view.print_size_px == (3024, 2433)
    assert (view.dpi, view.bleed_mm, view.safe_mm) == (300, 3, 3)


@pytest.mark.parametrize(
    ("shape", "points"),
    [
        ("rect", [[0, 0], [500, 0], [500, 100], [0, 100]]),  # wider than the mockup
        ("rect", [[0, 0], [10, 0], [10, 10]]),  # three corners
        ("rect", [[0, 0], [10, 2], [10, 10], [0, 10]]),  # not upright
        ("polygon", [[0, 0], [10, 10]]),  # two points
        ("polygon", [[0, 0], [10, 10], [20, 20]]),  # no area
        ("polygon", [[0, 0], [10, "a"], [20, 20]]),
        ("polygon", "0,0 10,10"),
    ],
)
def test_print_areas_must_lie_inside_the_mockup_and_be_well_formed(shape, points):
    with pytest.raises(PrintAreaInvalid) as caught:
        print_area_validate(shape=shape, points=points, width=400, height=300)

    assert caught.value.status == 422


def test_a_polygon_print_area_inside_the_mockup_is_kept(tenant):
    points = [[10, 10], [200, 20.5], [150, 250]]

    assert print_area_validate(shape="polygon", points=points, width=400, height=300) == points


def test_a_smaller_new_mockup_must_still_hold_the_print_area(tenant):
    product, view = product_with_view()

    with pytest.raises(PrintAreaInvalid):
        view_update(view=view, mockup=image_upload(100, 100))


def test_view_names_are_unique_per_product_and_a_variant_may_have_its_own(tenant):
    product, view = product_with_view()
    variant = variant_create(product=product, name="Red", sku_suffix="RED", attributes={"colour": "red"})
    fields = {"name": "front", "area_points": rect_points(x=0, y=0, width=10, height=10)}

    with pytest.raises(NameTaken):
        view_create(product=product, mockup=image_upload(), width_mm=10, height_mm=10, **fields)
    own = view_create(
        product=product, variant=variant, mockup=image_upload(), width_mm=10, height_mm=10, **fields
    )

    assert own.variant == variant
    assert variant.sku == f"{product.sku}-RED"


def test_a_variant_of_another_product_is_refused(tenant):
    product, view = product_with_view()
    other = ProductFactory()
    variant = variant_create(product=other, name="Red", sku_suffix="RED")

    with pytest.raises(CatalogInvalid):
        view_update(view=view, variant=variant)


def test_variant_attributes_are_simple_values(tenant):
    product = ProductFactory()

    with pytest.raises(CatalogInvalid):
        variant_create(product=product, name="x", sku_suffix="X", attributes={"size": ["M", "L"]})


def test_product_update_changes_only_what_is_given(tenant):
    product = ProductFactory(description="old")

    product = product_update(product=product, status=Product.Status.ACTIVE)

    product.refresh_from_db()
    assert (product.status, product.description) == (Product.Status.ACTIVE, "old")


def test_the_demo_catalog_is_seeded_once(tenant):
    catalog_seed_demo()
    catalog_seed_demo()

    poster = Product.objects.get(sku="POSTER-A")
    view = poster.views.get()
    assert (view.width_mm, view.height_mm) == (250, 200)
    assert view.print_size_px == (3024, 2433)
    assert Product.objects.get(sku="MUG-11").shape == Product.Shape.MUG
    assert Product.objects.count() == 2
    assert Option.objects.count() == 1
