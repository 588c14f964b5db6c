"""`/ws/widget/designs/<public id>/?key=pk_…&session=…`: a shopper's design, live.

The workspace comes from the publishable key (apps.tenants.channels). The socket is refused
(4403) unless the browser's Origin is one of the key's brand's allowed origins and the session
token is valid for that brand; a design of another session closes it with 4404. Messages are
the design's widget state (as `GET /api/v1/widget/designs/<id>`) with `type: "design.status"`,
the current state first.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django_tenants.utils import schema_context

from apps.core.consumers import CLOSE_FORBIDDEN
from apps.designs.consumers import CLOSE_NOT_FOUND
from apps.designs.services import design_group

from .selectors import widget_brand, widget_design, widget_design_state
from .sessions import session_read


def _header(scope, name: bytes) -> str:
    return next((value.decode("latin1") for key, value in scope.get("headers", ()) if key == name), "")


class WidgetDesignConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()  # a close code reaches the client only once the socket is open
        state = await self.current_state()
        if isinstance(state, int):
            await self.close(code=state)
            return
        self.groups = [design_group(self.scope["tenant"].schema_name, self.design_pk)]
        await self.channel_layer.group_add(self.groups[0], self.channel_name)
        await self.send_json(state)

    @database_sync_to_async
    def current_state(self) -> dict | int:
        """The design's state, or the close code refusing the socket."""
        api_key, tenant = self.scope.get("widget_key"), self.scope["tenant"]
        if api_key is None or not tenant.is_active:
            return CLOSE_FORBIDDEN
        query = parse_qs(self.scope.get("query_string", b"").decode())
        with schema_context(tenant.schema_name):
            brand = widget_brand(api_key)
            if brand is None or _header(self.scope, b"origin") not in brand.allowed_origins:
                return CLOSE_FORBIDDEN
            session_id = session_read(
                query.get("session", [""])[0], schema=tenant.schema_name, brand_id=brand.pk
            )
            if session_id is None:
                return CLOSE_FORBIDDEN
            self.session_id = session_id
            public_id = self.scope["url_route"]["kwargs"]["public_id"]
            design = widget_design(public_id=public_id, session_id=session_id)
            if design is None:
                return CLOSE_NOT_FOUND
            self.design_pk = design.pk
            return self.state(design)

    def state(self, design) -> dict:
        return {"type": "design.status", **widget_design_state(design, self.absolute)}

    def absolute(self, path: str) -> str:
        if "://" in path:
            return path
        scheme = "https" if self.scope.get("scheme") == "wss" else "http"
        return f"{scheme}://{_header(self.scope, b'host')}{path}"

    @database_sync_to_async
    def fresh_state(self) -> dict | None:
        with schema_context(self.scope["tenant"].schema_name):
            design = widget_design(
                public_id=self.scope["url_route"]["kwargs"]["public_id"], session_id=self.session_id
            )
            return self.state(design) if design is not None else None

    async def design_status(self, message):
        """A saved transition: send the design's state as the shopper sees it (signed, absolute links)."""
        state = await self.fresh_state()
        if state is not None:
            await self.send_json(state)

    async def receive_json(self, content, **kwargs):
        """The socket only pushes; messages from the client are ignored."""
