"""Websocket consumers served by config/asgi.py (routes in apps/dashboard/routing.py).

Every socket holds access to one workspace only as long as REST would grant it: checked when it
opens and again whenever an access change is announced (apps.core.notifications.access_changed);
a socket without access is closed with 4000 + the HTTP status REST would answer (4401, 4402,
4403, 4404).

Sockets only push. A client message is read with the input-hygiene rules of the API
(apps.core.hygiene) and ignored; one that is not clean JSON (not JSON, binary, NUL, unpaired
surrogates, nested too deep) is answered with an error frame in the API's error format, and
the socket stays open.
"""

import asyncio

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from apps.core.api.errors import error_body
from apps.core.errors import MalformedInput
from apps.core.hygiene import json_loads
from apps.core.notifications import user_group, workspace_group

from .channels import access_groups, access_refusal

CLOSE_FORBIDDEN = 4403


def close_code(status: int) -> int:
    return 4000 + status


class WorkspaceSocket(AsyncJsonWebsocketConsumer):
    """A socket that follows a workspace for as long as its member or key may.

    Subclasses set `key_scope` (the scope a secret key needs; None: members only) and, in
    `subscribe`, join their event groups and say what to send first.
    """

    key_scope: str | None = None

    async def connect(self):
        # Groups are joined and access checked before the handshake completes: whatever is sent
        # once the client sees the socket open (an event, an access change) reaches it.
        await self.join(access_groups(self.scope))
        refusal = await self.refusal()
        first = close_code(refusal) if refusal is not None else await self.subscribe()
        await self.accept()  # a close code reaches the client only once the socket is open
        if isinstance(first, int):
            await self.close(code=first)
            return
        if first is not None:
            await self.send_json(first)
        self.support_timer_start()

    def support_timer_start(self) -> None:
        """A socket of a support session checks its access again when the session expires."""
        expires_at = self.scope.get("support_expires_at")
        if expires_at is None:
            return
        delay = max(0.0, (expires_at - timezone.now()).total_seconds()) + 1
        loop = asyncio.get_running_loop()
        self.support_timer = loop.call_later(delay, lambda: loop.create_task(self.access_changed({})))

    async def websocket_disconnect(self, message):
        timer = getattr(self, "support_timer", None)
        if timer is not None:
            timer.cancel()
        await super().websocket_disconnect(message)

    async def subscribe(self) -> dict | int | None:
        """Join the event groups; return the first message to send, a close code refusing it, or None."""
        raise NotImplementedError

    async def join(self, groups: list[str]) -> None:
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups = [*self.groups, *groups]  # left again by websocket_disconnect

    async def leave(self, groups: list[str]) -> None:
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups = [joined for joined in self.groups if joined not in groups]

    async def refusal(self) -> int | None:
        """The HTTP status REST would refuse this socket with now, or None while it may go on."""
        return await access_refusal(self.scope, key_scope=self.key_scope)

    async def access_changed(self, message):
        """Access may have changed: check it again; without it, leave every group and close."""
        refusal = await self.refusal()
        if refusal is None:
            return
        await self.leave(self.groups)
        await self.close(code=close_code(refusal))

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """A client message, text or binary, read as JSON; not clean JSON: an error frame."""
        try:
            content = await self.decode_json(text_data if text_data is not None else bytes_data)
        except MalformedInput as error:
            await self.send_json(error_body(error.code, error.message, error.details))
            return
        await self.receive_json(content, **kwargs)

    @classmethod
    async def decode_json(cls, text_data):
        return json_loads(text_data)

    async def receive_json(self, content, **kwargs):
        """Sockets only push; messages from the client are ignored."""


class NotificationsConsumer(WorkspaceSocket):
    """`/ws/notifications/` on a workspace host: events for this member and for the workspace.

    For logged-in members only: anonymous sockets are closed with 4401, others (non-members,
    keys, suspended workspace, public host) with 4403. Each `notify(...)` arrives as
    `{"event": "...", "payload": {...}}`.
    """

    async def subscribe(self) -> None:
        schema = self.scope["tenant"].schema_name
        user_id = self.scope.get("support_member_id") or self.scope["user"].pk  # support access: the member's
        await self.join([user_group(schema, user_id), workspace_group(schema)])

    async def notification_message(self, message):
        await self.send_json({"event": message["event"], "payload": message["payload"]})
