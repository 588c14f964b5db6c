"""A DNS server on loopback for tests: DNS lives outside this machine, so it is faked at the network level.

`fake_dns` starts one per test, answers TXT queries from `fake_dns.txt` (name → values) and
NXDOMAIN for anything else, and points the project's resolver at it (DNS_RESOLVER_* settings).
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
