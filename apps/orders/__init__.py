"""orders: filled by a later issue."""
