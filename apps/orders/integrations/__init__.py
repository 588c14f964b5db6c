"""Shops connected to a workspace (Shopify, WooCommerce): product import and inbound order webhooks.

`shopify.py` and `woocommerce.py` hold what differs between shops (their HTTP API, how their
products and orders look, their webhook headers) behind one interface; `services.py` does the rest.
"""
