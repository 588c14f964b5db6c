"""The real Celery broker's queues, read by tests that check what was queued (no worker runs)."""

from config.celery import app


def broker_messages(queue_name: str) -> list:
    """Takes every message waiting in a queue of the real broker."""
    messages = []
    with app.connection_for_read() as conn:
        queue = conn.SimpleQueue(queue_name)
        while True:
            try:
                message = queue.get(timeout=0.2)
            except queue.Empty:
                return messages
            message.ack()
            messages.append(message)
