"""billing: filled by a later issue."""
