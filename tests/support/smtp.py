"""A mail server on loopback for tests: mail leaves this machine, so it is faked at the network level.

`smtp_server` starts one per test, speaks just enough SMTP for Django's SMTP backend (which it
makes the project's mail backend) and answers each message with the next code of
`smtp_server.answers` (then 250): `554` refuses it. Accepted messages land in `received`.
"""

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest


@dataclass
class SmtpServer:
    port: int = 0
    answers: list[int] = field(default_factory=list)
    received: list[Message] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # each accepted message as it came


def _handler(server: SmtpServer):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 localhost test SMTP")
            for raw in self.rfile:
                command = raw.decode().strip().upper()
                if command.startswith("DATA"):
                    self.reply("354 end with <CRLF>.<CRLF>")
                    self.message_end(self.message_read())
                elif command.startswith("QUIT"):
                    self.reply("221 bye")
                    return
                else:  # EHLO, MAIL FROM, RCPT TO, RSET, NOOP
                    self.reply("250 ok")

        def message_read(self) -> bytes:
            lines = []
            for raw in self.rfile:
                if raw == b".\r\n":
                    break
                lines.append(raw[1:] if raw.startswith(b"..") else raw)
            return b"".join(lines)

        def message_end(self, data: bytes) -> None:
            code = server.answers.pop(0) if server.answers else 250
            if code == 250:
                server.received.append(message_from_bytes(data))
                server.raw.append(data)
                self.reply("250 queued")
            else:
                self.reply(f"{code} refused by the test server")

    return Handler


@pytest.fixture
def smtp_server(settings):
    recorder = SmtpServer()
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(recorder))
    tcp.daemon_threads = True
    recorder.port = tcp.server_address[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", recorder.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()
    yield recorder
    tcp.shutdown()
    tcp.server_close()
