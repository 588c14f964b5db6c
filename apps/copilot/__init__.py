"""copilot: filled by a later issue."""
