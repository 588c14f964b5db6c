"""`/ws/planner/<id>/`: the chat replies of a scenario, live, as they are written.

For the workspace's members (any role: viewers read the chat too) and for API clients whose
secret key has the `planner:read` scope (apps.accounts.consumers checks access when the socket
opens and whenever it changes). The first message is `{"event": "chat.ready", "payload":
{"scenario": id}}`; then, for every reply in the scenario, `reply.token` events with pieces of
its text and one `reply.done` with the saved message's id and text (apps/core/streams.py).
A scenario that does not exist in this workspace closes the socket with 4404.
"""

from channels.db import database_sync_to_async
from django_tenants.utils import schema_context

from apps.accounts.consumers import WorkspaceSocket

from .chat import chat_group
from .selectors import scenario_get

CLOSE_NOT_FOUND = 4404


class PlannerChatConsumer(WorkspaceSocket):
    key_scope = "planner:read"

    async def subscribe(self) -> dict | int:
        schema = self.scope["tenant"].schema_name
        scenario_id = self.scope["url_route"]["kwargs"]["scenario_id"]
        if not await self.exists(schema, scenario_id):
            return CLOSE_NOT_FOUND
        await self.join([chat_group(schema, scenario_id)])
        return {"event": "chat.ready", "payload": {"scenario": scenario_id}}

    @database_sync_to_async
    def exists(self, schema: str, scenario_id: int) -> bool:
        with schema_context(schema):
            return scenario_get(pk=scenario_id) is not None

    async def assistant_reply(self, message):
        await self.send_json({"event": message["event"], "payload": message["payload"]})
