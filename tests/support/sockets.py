"""Websocket clients of a test daphne (tests/support/processes.py): an API key's socket, a
browser's (with its Origin and cookie), and reading what the server sends."""

import json

import websockets.sync.client
from websockets.exceptions import ConnectionClosed


def socket_to(daphne, path: str, *, host: str, origin: str | None, headers: dict):
    """A socket to `path` with exactly these headers (no Origin when `origin` is None)."""
    return websockets.sync.client.connect(
        f"ws://{host}:{daphne.port}{path}",
        address=("127.0.0.1", daphne.port),
        origin=origin,
        additional_headers=headers,
        proxy=None,
        open_timeout=10,
    )


def key_socket(daphne, path: str, raw_key: str, host: str = "localhost"):
    """An API client's socket: the secret key in the Authorization header, on any host, no Origin."""
    return socket_to(daphne, path, host=host, origin=None, headers={"Authorization": f"Bearer {raw_key}"})


def receive(socket) -> dict:
    return json.loads(socket.recv(timeout=10))


def until_done(socket) -> list[dict]:
    """An assistant's reply events, up to its `reply.done`."""
    events = [receive(socket)]
    while events[-1]["event"] != "reply.done":
        events.append(receive(socket))
    return events


def close_code(socket) -> int:
    """The code the server closes the socket with (after any messages it sent first)."""
    try:
        while True:
            socket.recv(timeout=10)
    except ConnectionClosed as closed:
        return closed.rcvd.code
