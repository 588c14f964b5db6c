"""campaigns: filled by a later issue."""
