"""`/ws/copilot/<id>/`: a conversation's answers, live, as they are written.

Only for the conversation's owner: the member who holds it (any role) or the API key that opened
it (`copilot:read` scope). The first message is `{"event": "chat.ready", "payload":
{"conversation": id}}`; then, for every answer, `reply.token` events with pieces of its text and
one `reply.done` with the saved message's id and text (apps/core/streams.py). Anyone else's
conversation, or none, closes the socket with 4404; access ending closes it as every socket.
"""

from channels.db import database_sync_to_async
from django_tenants.utils import schema_context

from apps.accounts.consumers import WorkspaceSocket

from .engine import conversation_group
from .selectors import conversation_get

CLOSE_NOT_FOUND = 4404


class CopilotConsumer(WorkspaceSocket):
    key_scope = "copilot:read"

    async def subscribe(self) -> dict | int:
        schema = self.scope["tenant"].schema_name
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        if not await self.owns(schema, conversation_id):
            return CLOSE_NOT_FOUND
        await self.join([conversation_group(schema, conversation_id)])
        return {"event": "chat.ready", "payload": {"conversation": conversation_id}}

    @database_sync_to_async
    def owns(self, schema: str, conversation_id: int) -> bool:
        key, user = self.scope.get("api_key"), self.scope.get("user")
        with schema_context(schema):
            if key is not None:
                return conversation_get(conversation_id, user_id=None, api_key_id=key.pk) is not None
            return conversation_get(conversation_id, user_id=user.pk) is not None

    async def assistant_reply(self, message):
        await self.send_json({"event": message["event"], "payload": message["payload"]})
