"""The variant and options forms: attribute rows (text or colour swatch) and option rows, not JSON.

They post rows; what is saved is the API's structure (`attributes` {name: value}, one Option per
row). A bad row is a form error on that row (400), never a 500, NUL characters included.
"""

import re
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from apps.products.services import option_create, product_create, variant_create
from apps.tenants.models import Role
from tests.support.clients import dashboard_client
from tests.support.workspaces import member

NUL = "\u0000"


@pytest.fixture
def editor(tenant):
    return dashboard_client(tenant, member(tenant, Role.EDITOR))


@pytest.fixture
def product(tenant):
    return product_create(sku="TEE", name="Tee", price=Decimal("20.00"))


def rows(prefix: str, items: list[dict], initial: int = 0) -> dict:
    """A formset's POST data: the management form and each row's fields."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        data |= {f"{prefix}-{index}-{name}": value for name, value in item.items()}
    return data


def attribute(name="", value="", kind="text", colour="#000000", **more) -> dict:
    """An attribute row as the browser posts it (the colour picker always sends a colour)."""
    return {"name": name, "kind": kind, "value": value, "colour": colour, **more}


def variant_post(name="Red M", suffix="RED-M", attributes=(), initial=0) -> dict:
    fields = {"name": name, "sku_suffix": suffix, "price_delta": "1.50"}
    return fields | rows("attributes", [*attributes, attribute(), attribute()], initial)


def row_errors(response) -> list[str]:
    """The text of each table row of the page that is marked in error."""
    html = response.content.decode()
    marked = re.findall(r'<tr data-row class="has-error">(.*?)</tr>', html, re.S)
    return [re.sub(r"<[^>]+>", " ", row) for row in marked]


def test_a_variant_is_saved_from_attribute_rows_with_a_colour_swatch(editor, product):
    response = editor.post(
        f"/products/{product.pk}/variants/new/",
        variant_post(
            attributes=[attribute("size", "M"), attribute("colour", kind="swatch", colour="#b22222")]
        ),
    )
    page = editor.get(f"/products/{product.pk}/")

    variant = product.variants.get()
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/#variants"
    assert (variant.name, variant.sku_suffix, variant.price_delta) == ("Red M", "RED-M", Decimal("1.50"))
    assert variant.attributes == {"size": "M", "colour": "#b22222"}
    assert 'class="swatch" style="background: #b22222"' in page.content.decode()


def test_editing_a_variant_shows_its_rows_and_saves_changes_removals_and_kept_numbers(editor, product):
    variant = variant_create(
        product=product,
        name="Big",
        sku_suffix="BIG",
        attributes={"size": "L", "weight": 180, "colour": "#00ff00"},
    )
    url = f"/products/{product.pk}/variants/{variant.pk}/edit/"

    form = editor.get(url).content.decode()
    response = editor.post(
        url,
        variant_post(
            name="Bigger",
            suffix="BIG",
            attributes=[
                attribute("size", "XL"),
                attribute("weight", "180"),
                attribute("colour", kind="swatch", colour="#00ff00", DELETE="on"),
            ],
            initial=3,
        ),
    )

    inputs = dict(re.findall(r'name="(attributes-\d+-\w+)" value="([^"]*)"', form))
    shown = {
        inputs[f"attributes-{row}-name"]: inputs.get(
            f"attributes-{row}-value", inputs[f"attributes-{row}-colour"]
        )
        for row in range(3)
    }
    assert shown == {"size": "L", "weight": "180", "colour": "#00ff00"}
    assert form.count('<option value="swatch" selected>') == 1
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.name == "Bigger"
    assert variant.attributes == {"size": "XL", "weight": 180}  # 180 was not retyped: still a number


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (attribute("", "M"), "Name this attribute"),
        (attribute("size", ""), "Give this attribute a value."),
        (attribute("colour", kind="swatch", colour="red"), "Pick a colour, written #RRGGBB."),
        (attribute(f"si{NUL}ze", "M"), "Null characters are not allowed."),
        (attribute("size", f"M{NUL}"), "Null characters are not allowed."),
        (attribute("size", "M\nL"), "Use a single line"),
        (attribute("size", "M" * 101), "at most 100 characters"),
    ],
)
def test_a_bad_attribute_row_is_an_error_on_that_row_and_nothing_is_saved(editor, product, row, message):
    response = editor.post(
        f"/products/{product.pk}/variants/new/", variant_post(attributes=[attribute("fit", "slim"), row])
    )

    errors = row_errors(response)
    assert response.status_code == 400
    assert len(errors) == 1
    assert message in errors[0]
    assert not product.variants.exists()


def test_a_repeated_attribute_name_is_an_error_on_the_second_row(editor, product):
    response = editor.post(
        f"/products/{product.pk}/variants/new/",
        variant_post(attributes=[attribute("size", "M"), attribute("size", "L")]),
    )

    assert response.status_code == 400
    assert ["This attribute is already given above." in text for text in row_errors(response)] == [True]
    assert not product.variants.exists()


def test_a_taken_sku_suffix_and_a_nul_in_the_name_are_form_errors(editor, product):
    variant_create(product=product, name="Red", sku_suffix="RED")

    taken = editor.post(f"/products/{product.pk}/variants/new/", variant_post(suffix="RED"))
    nul = editor.post(f"/products/{product.pk}/variants/new/", variant_post(name=f"Re{NUL}d"))

    assert taken.status_code == 400
    assert "This product already has one with this name or SKU suffix." in taken.content.decode()
    assert nul.status_code == 400
    assert "Null characters are not allowed." in nul.content.decode()
    assert product.variants.count() == 1


def test_a_nul_in_a_url_encoded_row_is_a_400_before_any_view(editor, product):
    body = "name=Red&sku_suffix=RED&price_delta=0&attributes-TOTAL_FORMS=1&attributes-INITIAL_FORMS=0"
    body += "&attributes-0-name=size&attributes-0-kind=text&attributes-0-value=M%00"

    response = editor.post(
        f"/products/{product.pk}/variants/new/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert not product.variants.exists()


def test_options_are_added_renamed_repriced_and_removed_in_one_form(editor, product):
    wrap = option_create(product=product, name="Gift wrap", price_delta=Decimal(3))
    card = option_create(product=product, name="Card", price_delta=Decimal(1))
    url = f"/products/{product.pk}/options/"

    form = editor.get(url).content.decode()
    response = editor.post(
        url,
        rows(
            "options",
            [
                {"option": wrap.pk, "name": "Card", "price_delta": "4"},  # takes the name of the removed one
                {"option": card.pk, "name": "Card", "price_delta": "1", "DELETE": "on"},
                {"option": "", "name": "Premium paper", "price_delta": "5"},
                {"option": "", "name": "", "price_delta": "0"},
            ],
            initial=2,
        ),
    )

    assert 'value="Gift wrap"' in form
    assert response.status_code == 302
    assert response["Location"] == f"/products/{product.pk}/#options"
    saved = {option.name: option.price_delta for option in product.options.all()}
    assert saved == {"Card": Decimal(4), "Premium paper": Decimal(5)}
    assert product.options.get(name="Card").pk == wrap.pk


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"name": "", "price_delta": "2"}, "Name this option, or tick Remove."),
        ({"name": f"Wr{NUL}ap", "price_delta": "2"}, "Null characters are not allowed."),
        ({"name": "Wrap", "price_delta": "two"}, "Enter a number."),
        ({"name": "Gift wrap", "price_delta": "2"}, "Another row already has this name."),
    ],
)
def test_a_bad_option_row_is_an_error_on_that_row_and_nothing_changes(editor, product, row, message):
    wrap = option_create(product=product, name="Gift wrap", price_delta=Decimal(3))

    response = editor.post(
        f"/products/{product.pk}/options/",
        rows(
            "options",
            [{"option": wrap.pk, "name": "Gift wrap", "price_delta": "9"}, {"option": "", **row}],
            initial=1,
        ),
    )

    errors = row_errors(response)
    assert response.status_code == 400
    assert len(errors) == 1
    assert message in errors[0]
    assert [(o.name, o.price_delta) for o in product.options.all()] == [("Gift wrap", Decimal(3))]


def test_an_option_of_another_product_cannot_be_edited_through_this_one(editor, product):
    other = product_create(sku="MUG", name="Mug", price=Decimal(10))
    theirs = option_create(product=other, name="Lid")

    response = editor.post(
        f"/products/{product.pk}/options/",
        rows("options", [{"option": theirs.pk, "name": "Mine", "price_delta": "0"}], initial=1),
    )

    assert response.status_code == 400
    assert "This option no longer exists: reload the page." in row_errors(response)[0]
    theirs.refresh_from_db()
    assert theirs.name == "Lid"


def test_a_viewer_cannot_open_the_variant_and_options_forms(tenant, product):
    viewer = dashboard_client(tenant, member(tenant, Role.VIEWER))
    variant = variant_create(product=product, name="Red", sku_suffix="RED")

    for path in ["variants/new/", f"variants/{variant.pk}/edit/", "options/"]:
        assert viewer.get(f"/products/{product.pk}/{path}").status_code == 403, path


def test_another_workspaces_people_get_404_on_the_product_editors(other_tenant, tenant, product):
    variant = variant_create(product=product, name="Red", sku_suffix="RED")
    option = option_create(product=product, name="Wrap")
    spy = dashboard_client(other_tenant, member(other_tenant, Role.OWNER, email="editor-spy@beta.test"))
    base = f"/products/{product.pk}"

    for path in [
        f"{base}/edit/",
        f"{base}/variants/new/",
        f"{base}/variants/{variant.pk}/edit/",
        f"{base}/options/",
    ]:
        assert spy.get(path).status_code == 404, path
        assert (
            spy.post(path, variant_post() | rows("options", [{"option": option.pk, "name": "X"}])).status_code
            == 404
        )
    with tenant_context(tenant):
        variant.refresh_from_db()
        option.refresh_from_db()
    assert (variant.name, option.name) == ("Red", "Wrap")
