"""integrations: shops connected to a workspace (Shopify, WooCommerce): product import and inbound orders.

`shopify.py` and `woocommerce.py` hold what differs between shops (their HTTP API, how their
products and orders look, their webhook headers) behind one interface; `services.py` does the
rest, creating orders through apps.orders.services.
"""
