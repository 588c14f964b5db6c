"""Websocket consumers served by config/asgi.py (routes in apps/core/routing.py)."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .notifications import user_group, workspace_group

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class NotificationsConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/notifications/` on a workspace host: events for this member and for the workspace.

    Needs a logged-in (session) member of an active workspace: anonymous sockets are closed
    with 4401, others (non-members, suspended workspace, public host) with 4403. Each
    `notify(...)` arrives as `{"event": "...", "payload": {...}}`.
    """

    async def connect(self):
        await self.accept()  # a close code reaches the client only once the socket is open
        refusal = self.refusal()
        if refusal is not None:
            await self.close(code=refusal)
            return
        schema = self.scope["tenant"].schema_name
        self.groups = [user_group(schema, self.scope["user"].pk), workspace_group(schema)]
        for group in self.groups:  # left again by websocket_disconnect
            await self.channel_layer.group_add(group, self.channel_name)

    def refusal(self) -> int | None:
        if not self.scope["user"].is_authenticated:
            return CLOSE_NOT_AUTHENTICATED
        if self.scope["membership"] is None or not self.scope["tenant"].is_active:
            return CLOSE_FORBIDDEN
        return None

    async def receive_json(self, content, **kwargs):
        """The socket only pushes; messages from the client are ignored."""

    async def notification_message(self, message):
        await self.send_json({"event": message["event"], "payload": message["payload"]})
