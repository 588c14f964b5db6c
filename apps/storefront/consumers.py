"""`/ws/widget/designs/<public id>/?key=pk_…&session=…&locale=…`: a shopper's design, live.

The workspace comes from the publishable key (apps.tenants.channels). The socket is refused
(4403) unless the browser's Origin is one of the key's brand's allowed origins and the session
token is valid for that brand; a design of another session closes it with 4404. Messages are
the design's widget state (as `GET /api/v1/widget/designs/<id>`) with `type: "design.status"`,
the current state first, in the link's `locale` (else the brand's language). A key revoked
(or rotated, or its brand deleted) closes the socket with 4401, a workspace suspended or the
Origin removed from the brand's allowed origins with 4403 (apps.accounts.consumers).
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.utils import translation
from django_tenants.utils import schema_context

from apps.accounts.channels import scope_header
from apps.accounts.consumers import CLOSE_FORBIDDEN, WorkspaceSocket
from apps.brands.selectors import brand_allows_origin
from apps.designs.consumers import CLOSE_NOT_FOUND
from apps.designs.models import PUBLIC_ID
from apps.designs.services import design_group

from .selectors import supported_language, widget_design, widget_design_state
from .sessions import session_read

TRANSITION = ("status", "step", "progress")


class WidgetDesignConsumer(WorkspaceSocket):
    async def refusal(self) -> int | None:
        return await super().refusal() or await self.origin_refusal()

    @database_sync_to_async
    def origin_refusal(self) -> int | None:
        """403 unless the Origin is (still) one of the brand's allowed origins."""
        brand_id, origin = self.scope["widget_key"].brand_ref, scope_header(self.scope, b"origin")
        with schema_context(self.scope["tenant"].schema_name):
            allowed = brand_id is not None and brand_allows_origin(pk=brand_id, origin=origin)
        return None if allowed else 403

    async def subscribe(self) -> dict | int:
        """Join the design's group, then read its state: a transition saved in between still
        arrives (one saved before the read is not sent twice, `sent_at`). Read first, a design
        failing at that moment left the shopper's widget waiting for good."""
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        if not PUBLIC_ID.fullmatch(public_id):  # not a design id, nor a valid Channels group name
            return CLOSE_NOT_FOUND
        group = design_group(self.scope["tenant"].schema_name, public_id)
        await self.join([group])
        state = await self.current_state()
        if not isinstance(state, dict):  # refused: no message of the design reaches it
            await self.leave([group])
        return state

    @database_sync_to_async
    def current_state(self) -> dict | int:
        """The design's state, or the close code refusing the socket."""
        brand_id, tenant = self.scope["widget_key"].brand_ref, self.scope["tenant"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        with schema_context(tenant.schema_name):
            session_id = session_read(
                query.get("session", [""])[0], schema=tenant.schema_name, brand_id=brand_id
            )
            if session_id is None:
                return CLOSE_FORBIDDEN
            self.session_id = session_id
            public_id = self.scope["url_route"]["kwargs"]["public_id"]
            design = widget_design(public_id=public_id, session_id=session_id)
            if design is None:
                return CLOSE_NOT_FOUND
            self.design_id = design.public_id
            self.sent_at = design.updated_at.timestamp()
            return self.state(design)

    def state(self, design) -> dict:
        """The widget's state of `design` in the link's language (else the brand's, else English)."""
        query = parse_qs(self.scope.get("query_string", b"").decode())
        language = supported_language(query.get("locale", [""])[0])
        language = language or supported_language(
            design.product.brand and design.product.brand.default_language
        )
        with translation.override(language or "en"):
            return {"type": "design.status", **widget_design_state(design, self.absolute)}

    def absolute(self, path: str) -> str:
        if "://" in path:
            return path
        scheme = "https" if self.scope.get("scheme") == "wss" else "http"
        return f"{scheme}://{scope_header(self.scope, b'host')}{path}"

    @database_sync_to_async
    def fresh_state(self) -> dict | None:
        with schema_context(self.scope["tenant"].schema_name):
            design = widget_design(
                public_id=self.scope["url_route"]["kwargs"]["public_id"], session_id=self.session_id
            )
            return self.state(design) if design is not None else None

    async def design_status(self, message):
        """A saved transition: the design as the shopper sees it (signed, absolute links).

        The design is read again for its links, but status, step and progress are the
        transition's: a fast pipeline may have moved on before this message is handled. A
        transition saved before the first message was read is not sent again after it.
        """
        if message["at"] <= self.sent_at:
            return
        self.sent_at = message["at"]
        state = await self.fresh_state()
        if state is not None:
            await self.send_json({**state, **{key: message[key] for key in TRANSITION}})
