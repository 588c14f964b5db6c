"""A small closed-loop HTTP/1.1 load generator: threads with blocking sockets, loopback only.

`concurrency` clients each send a request, read the whole response, and send the next, until
`requests` responses are in or `max_seconds` have passed. With `rate` (requests/s) the load is
open-loop instead: request i is due at start + i/rate, and its latency counts from when it was
due, so a server that falls behind shows it (no coordinated omission). Every request is the same one
(`method`, `headers`, `body`). Connections are reused when the
server keeps them alive; gunicorn's sync workers close each one, so reconnecting is part of
the measured latency, as for any client of such a server. Latency runs from sending (or
connecting) to the last byte of the body. On this 2-core machine, threads blocked in socket
calls cost the server less CPU than an asyncio client does, and measure the same as `wrk`.
"""

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def add(self, other: "Load") -> None:
        """Fold another run of the same request into this one."""
        self.latencies += other.latencies
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.errors += other.errors
        self.elapsed += other.elapsed


class _Connection:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection mid-response")
        self.buffer += chunk

    def exchange(self, request: bytes) -> tuple[int, bool]:
        """Send one request, read its response; return the status and whether to keep the socket."""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(":", 1) for line in header_lines)
        length = int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._fill()
        self.buffer = self.buffer[length:]
        return int(status_line.split()[1]), "close" not in headers.get("connection", "")

    def close(self) -> None:
        self.sock.close()


def _request_bytes(path: str, host: str, headers: dict[str, str], method: str, body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def generate(
    *,
    port: int,
    path: str,
    host: str = "localhost",
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes = b"",
    requests: int = 5000,
    concurrency: int = 16,
    max_seconds: float = 60.0,
    rate: float | None = None,
) -> Load:
    request = _request_bytes(path, host, headers or {}, method, body)
    load, lock = Load(), threading.Lock()
    taken = [0]
    begin = time.perf_counter()
    deadline = begin + max_seconds

    def take() -> float | None:
        """When the next request is due (now, without a rate); None once the budget is spent."""
        with lock:
            index, taken[0] = taken[0], taken[0] + 1
        if index >= requests or time.perf_counter() >= deadline:
            return None
        return begin + index / rate if rate else time.perf_counter()

    def client() -> None:
        connection = None
        while (started := take()) is not None:
            time.sleep(max(0.0, started - time.perf_counter()))
            try:
                connection = connection or _Connection(port)
                status, keep_alive = connection.exchange(request)
            except OSError:
                status, keep_alive = 0, False
            elapsed = time.perf_counter() - started
            with lock:
                if status:
                    load.latencies.append(elapsed)
                    load.statuses[status] = load.statuses.get(status, 0) + 1
                else:
                    load.errors += 1
            if not keep_alive and connection is not None:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.elapsed = time.perf_counter() - begin
    return load
