"""The production pack's summary draws Chinese and Latin-extended text, whatever the brand's font."""

from apps.brands.fonts import font_path
from apps.orders.pack import summary_pages
from tests.support.factories.brands import brand_make
from tests.support.factories.designs import ready_design
from tests.support.factories.orders import ADDRESS, order_make
from tests.support.factories.products import product_make
from tests.support.glyphs import differ, tofu

NAME, CITY = "张伟 Łukasz", "上海市"


def test_chinese_names_and_addresses_are_drawn_in_glyphs_not_the_brand_fonts_boxes(tenant):
    # Given an order of a design of a brand whose font is DejaVu Serif, to a Chinese customer
    brand = brand_make(font="dejavu-serif")
    design = ready_design(product_make(brand=brand))
    order = order_make(
        design,
        customer={"email": "wei@example.com", "name": NAME},
        shipping_address={**ADDRESS, "city": CITY},
    )
    items = list(order.items.all())

    # When the summary is drawn, and again with the text as the brand's font alone would draw it
    pages = summary_pages(order, items)
    serif = font_path(brand.font)
    order.customer_name = tofu(NAME, serif)
    order.shipping_address = {**ADDRESS, "city": tofu(CITY, serif)}
    boxes = summary_pages(order, items)

    # Then the two differ: the glyphs were drawn, not boxes
    assert len(pages) == len(boxes) == 1
    assert differ(pages[0], boxes[0])
