"""tenants: tenancy and identity — workspaces (one schema each), their hosts, people and roles, API
keys, and resolving a request to its workspace.
"""
