"""The assistants' Markdown (planner, copilot), rendered safely: raw HTML is shown as text,
links only to http(s), no images (no tracking pixel). Text from the data (labels, themes) is
escaped before it goes into a reply, so it cannot become a link or markup."""

import re

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

SPECIAL = re.compile(r"([\\`*_\[\]()<>!#|~&])")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|<?\b(?:https?://|www\.)[^\s)>\]]+>?", re.IGNORECASE)
EMPTY_BRACKETS = re.compile(r"[ \t]*(?:\(\s*\)|\[\s*\])")


def _http_only(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


_renderer = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
_renderer.validateLink = _http_only


def markdown_html(text: str) -> SafeString:
    return mark_safe(_renderer.render(text))  # noqa: S308 — html off, links checked: no raw HTML passes


def md_escape(text) -> str:
    """`text` as literal Markdown: its punctuation cannot open a link, an emphasis or a tag."""
    return SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def unlinked(text: str) -> str:
    """`text` without links: a Markdown link keeps its words, a bare address goes. For what a
    model wrote, or an e-mail's text, before it is shown."""
    return EMPTY_BRACKETS.sub("", LINK.sub(lambda found: found.group(1) or "", text)).strip()
