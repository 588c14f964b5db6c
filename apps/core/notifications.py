"""Push events to browsers over Channels: one group per member, one per workspace.

Group names start with the schema, so a workspace's events never reach another's sockets.
Access changes travel apart from events, in access groups that every socket joins (its
workspace's, and its member's or key's): `access_changed` makes those sockets check their
access again and close if they lost it (apps.accounts.consumers).
"""

from collections.abc import Iterable

from django.db import transaction

from .groups import group_send_many

MESSAGE_TYPE = "notification.message"  # handled by NotificationsConsumer.notification_message
ACCESS_MESSAGE_TYPE = "access.changed"  # handled by WorkspaceSocket.access_changed


def user_group(schema: str, user_id: int) -> str:
    return f"{schema}.user.{user_id}"


def workspace_group(schema: str) -> str:
    return f"{schema}.workspace"


def access_group(schema: str, *, user_id: int | None = None, key_id: int | None = None) -> str:
    """The sockets of one member, of one API key (secret or publishable), or else of the whole workspace."""
    if user_id is not None:
        return f"{schema}.access.user.{user_id}"
    if key_id is not None:
        return f"{schema}.access.key.{key_id}"
    return f"{schema}.access"


def access_changed(*, schema: str, user_id: int | None = None, key_id: int | None = None) -> None:
    """Once the transaction commits, the sockets of that member, key or workspace check their access again.

    Call it wherever access ends or narrows: a member removed, a key revoked, a workspace
    suspended, a plan changed. Sockets that still have access stay open.
    """
    access_changed_in(schemas=[schema], user_id=user_id, key_id=key_id)


def access_changed_in(
    *, schemas: Iterable[str], user_id: int | None = None, key_id: int | None = None
) -> None:
    """`access_changed` in several workspaces at once (one trip): a plan's workspaces, a person's."""
    groups = [access_group(schema, user_id=user_id, key_id=key_id) for schema in schemas]
    if groups:
        send_after_commit([(group, {"type": ACCESS_MESSAGE_TYPE}) for group in groups])


def notify(*, schema: str, event: str, payload: dict, user_id: int | None = None) -> None:
    """Send `{"event", "payload"}` to a member's sockets (or the workspace's) once the transaction commits.

    For synchronous code (services, tasks); outside a transaction it sends at once. A failed
    send is logged, never raised: the committed work stands.
    """
    group = user_group(schema, user_id) if user_id is not None else workspace_group(schema)
    send_after_commit([(group, {"type": MESSAGE_TYPE, "event": event, "payload": payload})])


def send_after_commit(messages: list[tuple[str, dict]]) -> None:
    """Send `(group, message)` pairs once the transaction commits (apps.core.groups: no event
    loop, one kept Redis client). A failed send is logged, never raised: the committed work stands."""
    transaction.on_commit(lambda: group_send_many(messages), robust=True)
