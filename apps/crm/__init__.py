"""crm: filled by a later issue."""
