"""What the ai app's keys mean to people, for templates: `{% load ai_labels %}`.

{{ design.style|style_label }}        Watercolour (the preset's label, translated)
{{ design.provider|provider_label }}  offline generator
{{ findings|moderation_findings }}    ["blocked word: gore", "violence"] (staff only)
{{ findings|moderation_message }}     the shopper's sentence, without the blocked word
"""

from django import template

from .. import moderation, styles
from ..providers import provider_label as _provider_label

register = template.Library()


@register.filter
def style_label(key: str | None) -> str:
    return styles.style_label(key)


@register.filter
def provider_label(name: str | None) -> str:
    return _provider_label(name)


@register.filter
def moderation_findings(findings) -> list[str]:
    return moderation.finding_labels(findings or [])


@register.filter
def moderation_message(findings) -> str:
    return moderation.moderation_message(findings or [])
