"""What the orders app tells the apps above it, without importing them (docs/directory-structure.md)."""

from django.dispatch import Signal

# Sent inside order_create's transaction once the order and its items are saved: `order`.
# The CRM attaches the order to its customer.
order_placed = Signal()
