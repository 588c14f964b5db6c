"""DNS lives outside this machine, so tests fake it.

`fake_dns` starts a DNS server on loopback per test, answers TXT queries from `fake_dns.txt`
(name → values) and NXDOMAIN for anything else, and points the project's resolver at it
(DNS_RESOLVER_* settings). `resolve_rebinding` fakes the system resolver for one name instead.
"""

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest


class FakeDns:
    def __init__(self):
        self.txt: dict[str, list[str]] = {}
        self.queries = 0
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                data, address = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            self._socket.sendto(self._answer(dns.message.from_wire(data)).to_wire(), address)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        self.queries += 1
        response = dns.message.make_response(query)
        question = query.question[0]
        values = self.txt.get(question.name.to_text(omit_final_dot=True).lower())
        if question.rdtype == dns.rdatatype.TXT and values:
            quoted = [f'"{value}"' for value in values]
            response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", *quoted))
        else:
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        self._socket.close()


@pytest.fixture
def fake_dns(settings):
    server = FakeDns()
    settings.DNS_RESOLVER_NAMESERVERS = ["127.0.0.1"]
    settings.DNS_RESOLVER_PORT = server.port
    yield server
    server.stop()


def resolve_rebinding(monkeypatch, name: str, public: str = "93.184.216.34") -> None:
    """The system resolver answers `public` for `name` the first time, then 127.0.0.1."""
    real = socket.getaddrinfo
    answers = [public]

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return real(host, port, *args, **kwargs)
        address = answers.pop() if answers else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
