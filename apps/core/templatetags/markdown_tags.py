from django import template

from apps.core.markdown import markdown_html

register = template.Library()


@register.filter
def markdown(text: str):
    """An assistant's Markdown as safe HTML (apps/core/markdown.py)."""
    return markdown_html(text)
