from django import template

from apps.planner.markdown import markdown_html

register = template.Library()


@register.filter
def markdown(text: str):
    """The assistant's Markdown as safe HTML (apps/planner/markdown.py)."""
    return markdown_html(text)
