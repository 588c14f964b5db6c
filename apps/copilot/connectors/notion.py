"""Notion: pages made from the copilot's Markdown, through the public API with an internal
integration's token (`Authorization: Bearer …`, `Notion-Version: 2022-06-28`).

Our Markdown (headings, bullet lists, paragraphs, **bold**) becomes Notion blocks whose rich text
is plain text with annotations: never HTML. Notion takes at most 100 blocks a request and 2,000
characters a rich text: a page gets its first 100 blocks when it is made, the rest appended 100 at
a time; a long paragraph is split into several rich texts.
"""

import re

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from ..models import Connector
from . import http
from .errors import ServiceRefused
from .selectors import connector_credentials, connector_live

SERVICE = "Notion"
VERSION = "2022-06-28"
BLOCKS_PER_REQUEST = 100
BLOCKS_MAX = 1000  # a page longer than this is cut (a conversation export never is in practice)
TEXT_MAX = 2000  # characters in one rich text
RICH_TEXTS_MAX = 100  # rich texts in one block
TITLE_MAX = 200
PAGE_ID = re.compile(r"([0-9a-f]{32})$")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def page_id_clean(value: str) -> str:
    """A page id (32 hex digits, with or without dashes, or the end of the page's link) in the
    dashed form Notion's API uses; ValueError with the message to show when it is not one."""
    raw = str(value or "").strip().split("?", 1)[0].split("#", 1)[0].rstrip("/").replace("-", "").lower()
    found = PAGE_ID.search(raw)
    if found is None:
        raise ValueError(_("Paste the page's link or its id: 32 letters and digits."))
    h = found.group(1)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Notion-Version": VERSION}


def _url(path: str) -> str:
    return f"{settings.NOTION_API_URL.rstrip('/')}{path}"


def _refusals() -> dict[int, str]:
    return {
        404: _(
            "Notion cannot find the parent page: open it in Notion, then ••• → Connections → add "
            "your integration, or choose another page."
        ),
        400: _("Notion refused the page's content."),
    }


def notion_me(*, token: str) -> dict:
    """GET /v1/users/me: the integration's bot user (proves the token works)."""
    return http.request(SERVICE, "GET", _url("/v1/users/me"), headers=_headers(token))


# --- Markdown → blocks ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Inline Markdown to plain text: links keep their label, escapes are undone, tags dropped."""
    text = LINK.sub(lambda found: found.group(1), text)
    return ESCAPED.sub(r"\1", strip_tags(text))


def _pieces(text: str, bold: bool) -> list[dict]:
    return [
        {
            "type": "text",
            "text": {"content": text[start : start + TEXT_MAX]},
            "annotations": {"bold": bold},
        }
        for start in range(0, len(text), TEXT_MAX)
    ]


def rich_text(markdown: str) -> list[dict]:
    """One line of our Markdown as Notion rich text: plain text, bold where it was **bold**."""
    parts, at = [], 0
    for found in BOLD.finditer(markdown):
        parts.append((markdown[at : found.start()], False))
        parts.append((found.group(1) or found.group(2), True))
        at = found.end()
    parts.append((markdown[at:], False))
    texts = [piece for raw, bold in parts if (text := _plain(raw)) for piece in _pieces(text, bold)]
    return texts[:RICH_TEXTS_MAX]


def _block(kind: str, markdown: str) -> dict:
    return {"object": "block", "type": kind, kind: {"rich_text": rich_text(markdown)}}


def blocks(markdown: str) -> list[dict]:
    """Our Markdown as Notion blocks: `#`–`######` headings (Notion has three levels), `-`/`*`
    and numbered list items, and paragraphs (consecutive lines joined)."""
    result, paragraph = [], []

    def flush():
        if paragraph:
            result.append(_block("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for line in str(markdown).splitlines():
        stripped = line.strip()
        heading, bullet, numbered = HEADING.match(stripped), BULLET.match(line), NUMBERED.match(line)
        if not stripped or heading or bullet or numbered:
            flush()
        if heading:
            level = min(len(heading.group(1)), 3)
            result.append(_block(f"heading_{level}", heading.group(2)))
        elif bullet:
            result.append(_block("bulleted_list_item", bullet.group(1)))
        elif numbered:
            result.append(_block("numbered_list_item", numbered.group(1)))
        elif stripped:
            paragraph.append(stripped)
    flush()
    return [block for block in result if block[block["type"]]["rich_text"]]


# --- pages ---------------------------------------------------------------------------------------


def notion_token() -> str:
    """The connected Notion integration's token (NotConnected when there is none)."""
    return str(connector_credentials(connector_live(kind=Connector.Kind.NOTION)).get("token", ""))


def notion_page_create(
    parent_id: str, title: str, markdown_blocks: list[str], *, token: str | None = None
) -> dict:
    """Make a page under `parent_id` titled `title`, its content the Markdown sections
    `markdown_blocks`, with the workspace's Notion token; returns {"id", "url"}. Errors:
    NotConnected, CredentialsRefused (401), ServiceRefused (404: the parent is not shared with the
    integration), ServiceUnavailable (429 with the wait, 5xx, timeout)."""
    token = token or notion_token()
    children = [block for section in markdown_blocks for block in blocks(section)][:BLOCKS_MAX]
    title = _plain(title).strip()[:TITLE_MAX] or _("Untitled")
    body = {
        "parent": {"type": "page_id", "page_id": parent_id},
        "properties": {"title": {"title": [{"type": "text", "text": {"content": title}}]}},
        "children": children[:BLOCKS_PER_REQUEST],
    }
    page = http.request(
        SERVICE, "POST", _url("/v1/pages"), headers=_headers(token), json=body, refused=_refusals()
    )
    page_id = str(page.get("id") or "")
    if not page_id:
        raise ServiceRefused(_("Notion did not say which page it made."))
    for start in range(BLOCKS_PER_REQUEST, len(children), BLOCKS_PER_REQUEST):
        http.request(
            SERVICE,
            "PATCH",
            _url(f"/v1/blocks/{page_id}/children"),
            headers=_headers(token),
            json={"children": children[start : start + BLOCKS_PER_REQUEST]},
        )
    url = str(page.get("url") or "")
    if not url.startswith("https://") or len(url) > 300:
        url = f"https://www.notion.so/{page_id.replace('-', '')}"
    return {"id": page_id, "url": url}
