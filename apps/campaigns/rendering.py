"""A template made into the message one recipient gets: their language's version, merge fields,
their recommendations and designs, HTML through MJML and a plain-text part built from the same
blocks.

Every string a person wrote (the brand's blocks, the customer's name, a product's label) is
escaped before it enters MJML; links are checked http(s) by `blocks.blocks_clean` and pass
through `Links.click` (click tracking when sending, the identity in previews).
"""

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import formats, translation
from django.utils.translation import gettext as _
from mjml import mjml2html

from apps.crm.scoring.customers import customer_recommendations
from apps.crm.scoring.reasons import reason_text
from apps.crm.selectors import customer_designs_ready
from apps.designs.pipeline import RenderFailed, design_preview_elsewhere
from apps.designs.signing import asset_url
from apps.products.selectors import view_list
from apps.storefront.media import media_url
from apps.storefront.reorder import reorder_url
from apps.tenants.services import tenant_url

from .blocks import MERGE, REF, blocks_clean, url_check
from .delivery import Rendered
from .templates_selectors import products_chosen

logger = logging.getLogger(__name__)
LANGUAGES = ("en", "fr", "zh-hans")
TEXT_COLOR = "#1f2933"
MUTED_COLOR = "#6b7280"
FONT = "Helvetica, Arial, 'PingFang SC', 'Microsoft YaHei', sans-serif"


def _identity(url: str) -> str:
    return url


@dataclass(frozen=True)
class Links:
    """The links of one message: `click` wraps every outbound URL (click tracking), `unsubscribe`
    and `preferences` are the recipient's own pages, `open_pixel` (empty: opens are not tracked)
    the image that records an open."""

    click: Callable[[str], str] = field(default=_identity)
    unsubscribe: str = "#"
    preferences: str = "#"
    open_pixel: str = ""


PREVIEW_LINKS = Links()


@dataclass(frozen=True)
class Card:
    """A product shown in a grid: name, absolute image URL (or ""), price text, link, reason."""

    name: str
    image: str
    price: str
    url: str
    note: str = ""


# --- language and merge fields -----------------------------------------------------------------


def language_normalise(code: str | None) -> str:
    """ "fr-FR" → "fr", "zh_Hans"/"zh"/"zh-CN" → "zh-hans", "EN" → "en"; "" when unknown."""
    code = (code or "").strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    base = code.split("-")[0]
    return base if base in LANGUAGES else ""


def language_pick(template, language: str | None) -> str:
    """The version a recipient speaking `language` gets: theirs if the template has it, else the
    template's default language (else the first version it has)."""
    content = template.content or {}
    code = language_normalise(language)
    if code and content.get(code):
        return code
    if content.get(template.default_language):
        return template.default_language
    return next((code for code in LANGUAGES if content.get(code)), template.default_language or "en")


SAMPLE = {"first_name": "Alex", "last_name": "Martin", "email": "alex.martin@example.com", "city": "Lyon"}


def merge_values(customer) -> dict[str, str]:
    """The merge fields' values for `customer` (sample values for previews when None)."""
    brand = getattr(getattr(connection, "tenant", None), "name", "") or ""
    if customer is None:
        return {**SAMPLE, "brand": brand}
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email,
        "city": customer.city,
        "brand": brand,
    }


def merge(text: str, values: dict[str, str]) -> str:
    """`{{ first_name }}` → the value, `{{ first_name | "there" }}` → the value or "there" when
    empty; an unknown field gives its fallback or nothing. The result is plain text."""

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1).lower(), "") or ""
        return value.strip() or (match.group(2) or "")

    return MERGE.sub(replace, text or "")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


# --- dynamic content -----------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return tenant_url(connection.tenant, path) if path else ""


def _money(amount, currency: str = "") -> str:
    if amount is None:
        return ""
    return f"{formats.number_format(Decimal(amount), 2, use_l10n=True)} {currency}".strip()


def _product_image(product) -> str:
    """The absolute, signed link of the product's first mockup ("" when it has none)."""
    view = view_list(product=product).order_by("position", "pk").first() if product else None
    return _absolute(media_url("mockup", view.pk, lasting=True)) if view is not None else ""


def _item_card(item, language: str, url: str, note: str = "") -> Card:
    product = item.product
    name = f"{item.label} {item.vintage}".strip()
    price = _money(item.price, product.currency if product else "") if item.price is not None else ""
    if not price and product is not None:
        price = _money(product.price, product.currency)
    return Card(name=name, image=_product_image(product), price=price, url=url, note=note)


def products_cards(block: dict, language: str) -> list[Card]:
    """The chosen products of a products block, in the block's order; deleted ones left out."""
    refs = [(REF.match(entry["ref"]), entry["url"]) for entry in block.get("items", [])]
    refs = [(match.group(1), int(match.group(2)), url) for match, url in refs if match]
    products, items = products_chosen(
        products=[pk for kind, pk, _u in refs if kind == "product"],
        items=[pk for kind, pk, _u in refs if kind == "item"],
    )
    cards = []
    for kind, pk, url in refs:
        if kind == "product" and pk in products:
            product = products[pk]
            cards.append(
                Card(
                    name=product.name_in(language),
                    image=_product_image(product),
                    price=_money(product.price, product.currency),
                    url=url,
                )
            )
        elif kind == "item" and pk in items:
            cards.append(_item_card(items[pk], language, url))
    return cards


def recommendation_cards(block: dict, customer, language: str) -> list[Card]:
    """The customer's CRM recommendations, best first, at most the block's count."""
    if customer is None:  # a preview: say what will be there
        sample = _("A product chosen for this customer")
        return [Card(name=sample, image="", price="", url=block["url"]) for _n in range(block["count"])]
    rows = customer_recommendations(customer=customer)[: block["count"]]
    return [_item_card(row.item, language, block["url"], note=reason_text(row.reason)) for row in rows]


def _drawn_on(design, thumb, product):
    """The design's image on `product`: its thumbnail on its own product, else drawn on the other
    (once, then kept); the thumbnail when the other's files cannot be drawn on."""
    if product.pk == design.product_id:
        return thumb
    try:
        return design_preview_elsewhere(design, product) or thumb
    except RenderFailed:
        logger.warning("Design %s cannot be drawn on product %s", design.pk, product.pk, exc_info=True)
        return thumb


def design_cards(block: dict, customer, language: str) -> list[Card]:
    """The customer's finished designs (newest first, at most the block's count), each drawn on
    the block's product (else the one it was made for) when the message is rendered — not when
    it is opened, which mail privacy proxies break — and linked to reopen it in the shop."""
    if customer is None:
        sample = _("A design this customer made")
        return [Card(name=sample, image="", price="", url=block["url"]) for _n in range(block["count"])]
    match = REF.match(block.get("product") or "")
    chosen = products_chosen(products=[int(match.group(2))], items=[])[0] if match else {}
    target = next(iter(chosen.values()), None)
    cards = []
    for design, thumb in customer_designs_ready(customer_id=customer.pk, limit=block["count"]):
        product = target or design.product
        image = _drawn_on(design, thumb, product)
        if image is None:
            continue
        cards.append(
            Card(
                name=product.name_in(language),
                image=_absolute(asset_url(image, lasting=True)),
                price=_money(product.price, product.currency) if target else "",
                url=reorder_url(block["url"], design),
            )
        )
    return cards


# --- blocks → MJML and text ----------------------------------------------------------------------


def _mj_text(inner: str, **attrs) -> str:
    attributes = {
        "font-family": FONT,
        "color": TEXT_COLOR,
        "font-size": "15px",
        "line-height": "1.5",
        **attrs,
    }
    return "<mj-text {}>{}</mj-text>".format(" ".join(f'{k}="{_e(v)}"' for k, v in attributes.items()), inner)


def _section(inner: str) -> str:
    return f"<mj-section><mj-column>{inner}</mj-column></mj-section>"


def _cards_mjml(title: str, cards: list[Card], click) -> str:
    parts = [_section(_mj_text(_e(title), **{"font-size": "20px", "font-weight": "bold"}))] if title else []
    for start in range(0, len(cards), 3):
        columns = []
        for card in cards[start : start + 3]:
            href = _e(click(card.url)) if card.url else ""
            inner = ""
            if card.image:
                inner += (
                    f'<mj-image src="{_e(card.image)}" alt="{_e(card.name)}" href="{href}" width="180px" />'
                )
            inner += _mj_text(
                f'<a href="{href}" style="color:{TEXT_COLOR}"><strong>{_e(card.name)}</strong></a>'
            )
            if card.price:
                inner += _mj_text(_e(card.price), **{"padding-top": "0"})
            if card.note:
                inner += _mj_text(
                    _e(card.note), color=MUTED_COLOR, **{"font-size": "12px", "padding-top": "0"}
                )
            columns.append(f"<mj-column>{inner}</mj-column>")
        parts.append(f"<mj-section>{''.join(columns)}</mj-section>")
    return "".join(parts)


def _cards_text(title: str, cards: list[Card], click) -> str:
    lines = [title, ""] if title else []
    for card in cards:
        lines.append(f"- {card.name}" + (f" — {card.price}" if card.price else ""))
        if card.note:
            lines.append(f"  {card.note}")
        if card.url:
            lines.append(f"  {click(card.url)}")
    return "\n".join(lines)


def _paragraphs_html(text: str) -> str:
    return "<br />".join(_e(line) for line in text.split("\n"))


def block_render(block: dict, *, values: dict, customer, language: str, click) -> tuple[str, str]:
    """(MJML, plain text) of one block; ("", "") leaves it out."""
    kind = block["kind"]
    if kind == "heading":
        text = merge(block["text"], values)
        return _section(_mj_text(_e(text), **{"font-size": "24px", "font-weight": "bold"})), text
    if kind == "text":
        text = merge(block["text"], values)
        return _section(_mj_text(_paragraphs_html(text))), text
    if kind == "image":
        if not url_check(block["src"]):
            return "", ""
        url = click(block["url"]) if block.get("url") else ""
        href = f' href="{_e(url)}"' if url else ""
        mjml = _section(f'<mj-image src="{_e(block["src"])}" alt="{_e(block["alt"])}"{href} />')
        text = " ".join(part for part in (block["alt"], f"({url})" if url else "") if part)
        return mjml, text
    if kind == "button":
        url = click(block["url"])
        button = (
            f'<mj-button href="{_e(url)}" font-family="{_e(FONT)}" background-color="#111827" '
            f'border-radius="6px">{_e(block["label"])}</mj-button>'
        )
        return _section(button), f"{block['label']}: {url}"
    if kind == "divider":
        return _section('<mj-divider border-width="1px" border-color="#e5e7eb" />'), "-" * 40
    if kind == "products":
        cards = products_cards(block, language)
    elif kind == "recommendations":
        cards = recommendation_cards(block, customer, language)
    elif kind == "rebuy_design":
        cards = design_cards(block, customer, language)
        if cards:
            intro = merge(block.get("text", ""), values)
            mjml = _cards_mjml(block.get("title", ""), cards, click)
            text = _cards_text(block.get("title", ""), cards, click)
            if intro:
                mjml = _section(_mj_text(_paragraphs_html(intro))) + mjml
                text = f"{intro}\n\n{text}"
            button = block_render(
                {"kind": "button", "label": block["label"], "url": block["url"]},
                values=values,
                customer=customer,
                language=language,
                click=click,
            )
            return mjml + button[0], f"{text}\n\n{button[1]}"
    else:
        return "", ""
    if not cards:
        return "", ""
    return _cards_mjml(block.get("title", ""), cards, click), _cards_text(
        block.get("title", ""), cards, click
    )


def _footer(links: Links, values: dict) -> tuple[str, str]:
    unsubscribe, preferences = _("Unsubscribe"), _("E-mail preferences")
    why = _("You receive this e-mail as a customer of %(brand)s.") % {"brand": values["brand"] or "Luneo"}
    small = {"font-size": "12px", "color": MUTED_COLOR, "align": "center"}
    style = f"color:{MUTED_COLOR}"
    mjml = _section(
        _mj_text(
            f'{_e(why)}<br /><a href="{_e(links.unsubscribe)}" style="{style}">{_e(unsubscribe)}</a>'
            f' · <a href="{_e(links.preferences)}" style="{style}">{_e(preferences)}</a>',
            **small,
        )
    )
    text = f"{why}\n{unsubscribe}: {links.unsubscribe}\n{preferences}: {links.preferences}"
    return mjml, text


def _pixel(url: str) -> str:
    return f'<mj-raw><img src="{_e(url)}" width="1" height="1" alt="" /></mj-raw>' if url else ""


def _blocks_valid(blocks) -> list[dict]:
    """The blocks that pass `blocks_clean` (the services save nothing else; content written some
    other way loses its invalid blocks instead of failing a send)."""
    valid = []
    for block in blocks if isinstance(blocks, list) else []:
        try:
            valid += blocks_clean([block])
        except ValidationError:
            continue
    return valid


def message_render(template, *, customer, links: Links, language: str | None = None) -> Rendered:
    """The message `customer` gets from `template` (sample data when `customer` is None). The
    version is the customer's language's, else the template's default; `language`, when given,
    asks for that version instead (the editor's tabs)."""
    chosen = language_pick(template, language if language else getattr(customer, "language", ""))
    version = (template.content or {}).get(chosen) or {}
    values = merge_values(customer)
    with translation.override(chosen):
        subject = " ".join(merge(version.get("subject", ""), values).split())
        preheader = " ".join(merge(version.get("preheader", ""), values).split())
        body, texts = [], []
        for block in _blocks_valid(version.get("blocks")):
            mjml, text = block_render(
                block, values=values, customer=customer, language=chosen, click=links.click
            )
            if mjml:
                body.append(mjml)
                texts.append(text)
        footer_mjml, footer_text = _footer(links, values)
    head = f"<mj-title>{_e(subject)}</mj-title>"
    if preheader:
        head += f"<mj-preview>{_e(preheader)}</mj-preview>"
    source = (
        f'<mjml lang="{_e(chosen)}"><mj-head>{head}</mj-head>'
        f'<mj-body background-color="#f3f4f6"><mj-wrapper background-color="#ffffff" padding="16px 0">'
        f"{''.join(body)}</mj-wrapper>{footer_mjml}{_pixel(links.open_pixel)}</mj-body></mjml>"
    )
    text = "\n\n".join(part for part in [*texts, "--", footer_text] if part)
    return Rendered(
        subject=subject,
        preheader=preheader,
        html=mjml2html(source, disable_comments=True),
        text=text,
        language=chosen,
    )
