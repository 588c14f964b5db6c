"""Group messages sent from synchronous code reach channels_redis consumers as its own group_send's do."""

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from apps.core.groups import group_send_many

GROUPS = {"first": "groups-test.a", "second": "groups-test.a", "other": "groups-test.b"}


def _message(text: str) -> dict:
    return {"type": "test.message", "text": text}


async def _sent_and_received(batches: list[list[tuple[str, dict]]]) -> dict[str, list[dict]]:
    """Join the groups as consumers do, send each batch from synchronous code, read what each got."""
    layer = get_channel_layer()
    channels = {}
    for name, group in GROUPS.items():
        channels[name] = await layer.new_channel()  # a process-local name ("specific.…!…")
        await layer.group_add(group, channels[name])
    for batch in batches:
        await sync_to_async(group_send_many)(batch)
    expected = {"first": 2, "second": 2, "other": 1}
    return {name: [await layer.receive(channels[name]) for _ in range(expected[name])] for name in GROUPS}


def test_each_member_of_each_group_receives_its_messages_once_in_order():
    batches = [
        [
            ("groups-test.a", _message("to a")),
            ("groups-test.b", _message("to b")),
            ("groups-test.c", _message("-")),
        ],
        [("groups-test.a", _message("again"))],
    ]

    received = async_to_sync(_sent_and_received)(batches)

    assert received == {
        "first": [_message("to a"), _message("again")],
        "second": [_message("to a"), _message("again")],
        "other": [_message("to b")],
    }
