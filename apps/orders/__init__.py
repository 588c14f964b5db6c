"""orders: orders from the widget, the API and connected shops; their status history, production packs
and signed downloads.
"""
