"""designs: filled by a later issue."""
