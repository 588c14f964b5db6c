"""Block validation (each rule) and the template services: create, update, duplicate, delete."""

import pytest
from django.core.exceptions import ValidationError

from apps.campaigns.blocks import BLOCKS, BLOCKS_MAX, block_new, blocks_clean
from apps.campaigns.models import Audience, Campaign, Template
from apps.campaigns.templates_services import (
    TemplateInUse,
    template_create,
    template_delete,
    template_duplicate,
    template_update,
)


def errors(blocks) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        blocks_clean(blocks)
    return caught.value.messages


def test_valid_blocks_of_every_kind_are_normalised():
    blocks = [
        {"kind": "heading", "text": "  Hello   {{ first_name }} ", "extra": "dropped"},
        {"kind": "text", "text": "Line one\nLine two  "},
        {"kind": "image", "src": "https://cdn.example/a.png", "alt": "A mug", "url": ""},
        {"kind": "button", "label": "Shop", "url": "http://shop.example/"},
        {"kind": "products", "title": "", "items": [{"ref": "product:3", "url": "https://shop.example/p"}]},
        {"kind": "divider"},
        {"kind": "recommendations", "title": "For you", "count": "4", "url": "https://shop.example/"},
        {
            "kind": "rebuy_design",
            "title": "",
            "text": "",
            "count": 2,
            "product": "product:7",
            "label": "Again",
            "url": "https://s.example/",
        },
    ]

    cleaned = blocks_clean(blocks)

    assert [block["kind"] for block in cleaned] == list(BLOCKS)
    assert cleaned[0] == {"kind": "heading", "text": "Hello {{ first_name }}"}
    assert cleaned[1]["text"] == "Line one\nLine two"
    assert cleaned[6]["count"] == 4
    assert cleaned[7]["product"] == "product:7"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"kind": "poll"}, "Block 1: unknown kind of block."),
        ("heading", "Block 1: unknown kind of block."),
        ({"kind": "heading", "text": ""}, "Block 1 (Heading): Heading is required."),
        ({"kind": "heading", "text": "x" * 201}, "at most 200 characters (it has 201)"),
        ({"kind": "text", "text": "x" * 5001}, "at most 5000 characters"),
        ({"kind": "text", "text": "a\x00b"}, "may not contain NUL characters or unpaired surrogates"),
        ({"kind": "text", "text": "a\ud800b"}, "may not contain NUL characters or unpaired surrogates"),
        ({"kind": "text", "text": 12}, "Text must be text."),
        (
            {"kind": "button", "label": "Go", "url": "javascript:alert(1)"},
            "must be a web address starting with",
        ),
        (
            {"kind": "button", "label": "Go", "url": "ftp://files.example/"},
            "must be a web address starting with",
        ),
        ({"kind": "button", "label": "Go", "url": "https://"}, "must be a web address starting with"),
        ({"kind": "button", "label": "Go"}, "Link is required."),
        ({"kind": "image", "src": "data:image/png;base64,AAAA"}, "must be a web address starting with"),
        ({"kind": "products", "items": []}, "Choose at least one product."),
        (
            {"kind": "products", "items": [{"ref": "product:x", "url": "https://a.example"}]},
            "Choose product 1",
        ),
        (
            {"kind": "products", "items": [{"ref": "item:1", "url": "mailto:a@b.c"}]},
            "Link of product 1 must be",
        ),
        (
            {"kind": "products", "items": [{"ref": "item:1", "url": "https://a.example"}] * 7},
            "at most 6 products",
        ),
        (
            {"kind": "recommendations", "count": 9, "url": "https://a.example"},
            "How many must be a number from 1 to 6",
        ),
        ({"kind": "recommendations", "count": "two", "url": "https://a.example"}, "from 1 to 6"),
        (
            {"kind": "rebuy_design", "product": "item:3", "label": "Again", "url": "https://a.example"},
            "Choose Show them on from the list.",
        ),
        (
            {"kind": "rebuy_design", "product": ["product:3"], "label": "Go", "url": "https://a.example"},
            "Choose Show them on from the list.",
        ),
    ],
)
def test_each_rule_gives_a_clear_message(block, message):
    found = errors([block])

    assert any(message in error for error in found), found


def test_at_most_forty_blocks_and_a_list_only():
    assert blocks_clean([{"kind": "divider"}] * BLOCKS_MAX)
    assert errors([{"kind": "divider"}] * (BLOCKS_MAX + 1)) == [
        "A template holds at most 40 blocks (this one has 41)."
    ]
    assert errors({"kind": "divider"}) == ["The blocks must be a list."]


def test_every_problem_is_listed_with_its_block_number():
    found = errors([{"kind": "divider"}, {"kind": "button", "label": "", "url": "nope"}, {"kind": "x"}])

    assert found == [
        "Block 2 (Button): Label is required.",
        "Block 2 (Button): Link must be a web address starting with http:// or https://.",
        "Block 3: unknown kind of block.",
    ]


def test_a_new_block_of_each_kind_needs_its_required_fields():
    for kind in BLOCKS:
        block = block_new(kind)
        if any(field.required for field in BLOCKS[kind].fields):
            assert errors([block])
        else:
            assert blocks_clean([block])


def test_create_update_and_duplicate_check_the_content(tenant):
    template = template_create(name="  Spring  ", subject="Spring is here")

    assert template.name == "Spring"
    assert template.content == {"en": {"subject": "Spring is here", "preheader": "", "blocks": []}}

    template_update(
        template=template,
        content={**template.content, "fr": {"subject": "Le printemps", "blocks": [{"kind": "divider"}]}},
    )
    copy = template_duplicate(template=template)

    assert copy.name == "Copy of Spring"
    assert copy.content["fr"] == {"subject": "Le printemps", "preheader": "", "blocks": [{"kind": "divider"}]}
    with pytest.raises(ValidationError, match="Unknown language"):
        template_update(template=template, content={**template.content, "de": {"subject": "x"}})
    with pytest.raises(ValidationError, match="default language"):
        template_update(template=template, default_language="zh-hans")
    with pytest.raises(ValidationError, match="The subject is required"):
        template_update(template=template, content={"en": {"subject": " ", "blocks": []}})
    with pytest.raises(ValidationError, match="unknown kind"):
        template_update(template=template, content={"en": {"subject": "x", "blocks": [{"kind": "x"}]}})
    template.refresh_from_db()
    assert set(template.content) == {"en", "fr"}


def test_a_template_used_by_a_campaign_cannot_be_deleted(tenant):
    used = template_create(name="Used", subject="Used")
    unused = template_create(name="Unused", subject="Unused")
    Campaign.objects.create(name="Spring", audience=Audience.objects.create(name="All"), template=used)

    with pytest.raises(TemplateInUse):
        template_delete(template=used)
    template_delete(template=unused)

    assert list(Template.objects.values_list("name", flat=True)) == ["Used"]
