"""products: filled by a later issue."""
