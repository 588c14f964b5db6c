"""An assistant's reply pushed to a Channels group as it is written (the planner's scenario
sockets, the copilot's conversation sockets): `reply.token` events carry the pieces of text,
`reply.done` the saved message. The group's consumer handles the message type `assistant.reply`.

Pieces are sent at most every FLUSH_SECONDS (each send costs a trip to Redis), so a streamed
answer arrives in a few words at a time. A failed send is logged, never raised: the reply is
saved whatever the sockets get.
"""

import logging
import time
import uuid

from .groups import group_send_many

MESSAGE_TYPE = "assistant.reply"  # handled by the consumers' `assistant_reply`
FLUSH_SECONDS = 0.05

logger = logging.getLogger(__name__)


class ReplyStream:
    """Call it with each piece of a reply's text; `done(message)` once the reply is saved."""

    def __init__(self, group: str):
        self.group = group
        self.reply = uuid.uuid4().hex
        self.pending: list[str] = []
        self.sent_at = 0.0
        self.started = False

    def __call__(self, piece: str) -> None:
        self.started = True
        self.pending.append(piece)
        if time.monotonic() - self.sent_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            text, self.pending = "".join(self.pending), []
            self._send("reply.token", text=text)

    def done(self, message_id: int, text: str) -> None:
        self.flush()
        self._send("reply.done", message=message_id, text=text)

    def _send(self, event: str, **payload) -> None:
        self.sent_at = time.monotonic()
        message = {"type": MESSAGE_TYPE, "event": event, "payload": {"reply": self.reply, **payload}}
        try:
            group_send_many([(self.group, message)])
        except Exception:  # the sockets miss this piece; the saved reply is what counts
            logger.exception("Could not push an assistant reply event to %s", self.group)
