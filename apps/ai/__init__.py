"""ai: filled by a later issue."""
