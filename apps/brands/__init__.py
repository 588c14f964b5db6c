"""brands: filled by a later issue."""
