"""`/ws/designs/<id>/`: a design's status events, live (`<id>` is the design's `dsg_…`).

For a logged-in member of the workspace whose host the socket opened on (the browser's Origin
must be that host), or an API client sending `Authorization: Bearer sk_…` (no Origin needed)
whose key passes what REST checks: an active workspace whose plan includes the API (else 4402)
and the `designs:read` scope (else 4403). The first message is the design's current state,
then every later saved transition as `{type: "design.status", id, status, step, progress, at,
assets?}` (a transition saved before the first message is not sent after it).
A design that does not exist in this workspace closes the socket with 4404. A member removed,
a key revoked, a plan without the API or a suspended workspace closes it at once (4403, 4401,
4402, 4403: apps.accounts.consumers).
"""

from channels.db import database_sync_to_async
from django_tenants.utils import schema_context

from apps.accounts.consumers import WorkspaceSocket

from .models import PUBLIC_ID
from .payloads import design_event
from .selectors import design_get
from .services import design_group

CLOSE_NOT_FOUND = 4404


class DesignConsumer(WorkspaceSocket):
    key_scope = "designs:read"

    async def subscribe(self) -> dict | int:
        schema = self.scope["tenant"].schema_name
        design_id = self.scope["url_route"]["kwargs"]["design_id"]
        if not PUBLIC_ID.fullmatch(design_id):  # not a design id, nor a valid Channels group name
            return CLOSE_NOT_FOUND
        await self.join([design_group(schema, design_id)])
        current = await self.current_state(schema, design_id)
        if current is None:
            return CLOSE_NOT_FOUND
        self.sent_at = current["at"]
        return current

    @database_sync_to_async
    def current_state(self, schema: str, design_id: str) -> dict | None:
        with schema_context(schema):
            design = design_get(design_id)
            return design_event(design) if design is not None else None

    async def design_status(self, message):
        if message["at"] <= self.sent_at:  # already told: sent before the first message was read
            return
        self.sent_at = message["at"]
        await self.send_json(dict(message))
