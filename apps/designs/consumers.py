"""`/ws/designs/<id>/`: a design's status events, live.

For a logged-in member of the workspace whose host the socket opened on, or an API client
sending `Authorization: Bearer sk_…` with the `designs:read` scope (scope from
apps.tenants.channels; a key without the scope is closed with 4403). The first message is
the design's current state, then every saved transition as
`{type: "design.status", id, status, step, progress, assets?}`. A design that does not exist
in this workspace closes the socket with 4404.
"""

from channels.db import database_sync_to_async
from django_tenants.utils import schema_context

from apps.core.consumers import CLOSE_FORBIDDEN, NotificationsConsumer

from .selectors import design_get
from .services import design_event, design_group

CLOSE_NOT_FOUND = 4404
SCOPE = "designs:read"


class DesignConsumer(NotificationsConsumer):
    async def connect(self):
        await self.accept()  # a close code reaches the client only once the socket is open
        refusal = self.refusal()
        if refusal is None:
            schema = self.scope["tenant"].schema_name
            design_id = int(self.scope["url_route"]["kwargs"]["design_id"])
            group = design_group(schema, design_id)
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups = [group]  # left again by websocket_disconnect
            current = await self.current_state(schema, design_id)
            if current is None:
                refusal = CLOSE_NOT_FOUND
            else:
                await self.send_json(current)
        if refusal is not None:
            await self.close(code=refusal)

    def refusal(self) -> int | None:
        api_key = self.scope.get("api_key")
        if api_key is None:
            return super().refusal()
        if not self.scope["tenant"].is_active or SCOPE not in api_key.scopes:
            return CLOSE_FORBIDDEN
        return None

    @database_sync_to_async
    def current_state(self, schema: str, design_id: int) -> dict | None:
        with schema_context(schema):
            design = design_get(design_id)
            return design_event(design) if design is not None else None

    async def design_status(self, message):
        await self.send_json(dict(message))
