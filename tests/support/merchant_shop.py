"""A merchant's own shop on another origin, for the widget's browser tests.

One page embedding the widget on every path, and the shop's own cart endpoints, which record what
they receive: Shopify's Ajax Cart API (`POST …/cart/add.js`) and WooCommerce's Store API
(`GET /wp-json/wc/store/v1/cart`, then `POST …/cart/add-item` with the `Nonce` it gave, and the
cart session's cookie).
"""

import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

WOO_CART = "/wp-json/wc/store/v1/cart"
WOO_COOKIE = "wp_woocommerce_session_luneo=cart-1"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mugs &amp; Co</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
%(head)s
<script>
  window.luneoEvents = [];
  ["luneo:ready", "luneo:design-ready", "luneo:add-to-cart", "luneo:added-to-cart", "luneo:error"].forEach(
    function (name) {
      document.addEventListener(name, function (event) {
        window.luneoEvents.push({type: name, detail: event.detail});
      });
    });
</script>
<script src="%(script)s" data-luneo-key="%(key)s" %(script_attributes)s async></script>
</head><body><h1>Mugs &amp; Co</h1><div data-luneo-product="%(sku)s" %(attributes)s></div></body></html>
"""


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class Shop:
    page: str
    received: list[Received] = field(default_factory=list)
    nonce: str = "nonce-1"

    def posted(self, path: str) -> list[Received]:
        return [request for request in self.received if request.method == "POST" and request.path == path]

    def nonce_expire(self) -> None:
        """WordPress's nonce ages out: the next add-item with the old one is refused."""
        self.nonce = f"nonce-{int(self.nonce.split('-')[1]) + 1}"


def merchant_page(*, script: str, key: str, sku: str, head="", script_attributes="", attributes="") -> str:
    return PAGE % {
        "script": script,
        "key": key,
        "sku": sku,
        "head": head,
        "script_attributes": script_attributes,
        "attributes": attributes,
    }


@contextlib.contextmanager
def merchant_shop(port: int, page: str) -> Iterator[Shop]:
    """The shop on http://127.0.0.1:`port` (and http://localhost:`port`, another origin)."""
    shop = Shop(page)

    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, status: int, body: str, content_type="application/json", headers=()):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            if self.path != WOO_CART:
                return self.answer(200, shop.page, "text/html")
            shop.received.append(Received("GET", self.path, dict(self.headers), {}))
            headers = [
                ("Nonce", shop.nonce),
                ("Cart-Token", "token-1"),
                ("Set-Cookie", f"{WOO_COOKIE}; Path=/"),
            ]
            return self.answer(200, json.dumps({"items": []}), headers=headers)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            shop.received.append(Received("POST", self.path, dict(self.headers), body))
            if self.path.endswith("/cart/add.js"):
                return self.answer(200, json.dumps({"items": body.get("items", [])}))
            if self.path == f"{WOO_CART}/add-item":
                if self.headers.get("Nonce") != shop.nonce:
                    error = {"code": "woocommerce_rest_invalid_nonce", "message": "Nonce is invalid."}
                    return self.answer(403, json.dumps(error))
                return self.answer(201, json.dumps({"items": [body]}), headers=[("Nonce", shop.nonce)])
            return self.answer(404, "{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield shop
    finally:
        server.shutdown()
        server.server_close()
