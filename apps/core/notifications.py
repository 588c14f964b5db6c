"""Push events to browsers over Channels: one group per member, one per workspace.

Group names start with the schema, so a workspace's events never reach another's sockets.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

MESSAGE_TYPE = "notification.message"  # handled by NotificationsConsumer.notification_message


def user_group(schema: str, user_id: int) -> str:
    return f"{schema}.user.{user_id}"


def workspace_group(schema: str) -> str:
    return f"{schema}.workspace"


def notify(*, schema: str, event: str, payload: dict, user_id: int | None = None) -> None:
    """Send `{"event", "payload"}` to a member's sockets (or the workspace's) once the transaction commits.

    For synchronous code (services, tasks); outside a transaction it sends at once. A failed
    send is logged, never raised: the committed work stands.
    """
    group = user_group(schema, user_id) if user_id is not None else workspace_group(schema)
    send_after_commit([(group, {"type": MESSAGE_TYPE, "event": event, "payload": payload})])


def send_after_commit(messages: list[tuple[str, dict]]) -> None:
    """Send `(group, message)` pairs once the transaction commits, in one trip to the event loop.

    From synchronous code each `async_to_sync` call starts a loop and a Redis connection
    (≈ 9 ms here), so callers with several messages pass them together.
    """

    async def send_all() -> None:
        layer = get_channel_layer()
        for group, message in messages:
            await layer.group_send(group, message)

    transaction.on_commit(lambda: async_to_sync(send_all)(), robust=True)
