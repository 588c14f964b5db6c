from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(cents: int, currency: str) -> str:
    """1990, "eur" → "19.90 EUR" (or "19,90 EUR"): decimals in the reader's locale."""
    return f"{number_format(Decimal(cents) / 100, 2, use_l10n=True, force_grouping=True)} {currency.upper()}"
