"""The operators' console: the Luneo-branded Django admin on the public host — its index by
section, the platform's overview, workspaces, support access, moderation, jobs and staff security."""
