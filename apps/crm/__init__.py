"""crm: reserved for its issue (its place in the layers is in docs/directory-structure.md); no code yet."""
