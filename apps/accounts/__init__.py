"""accounts: what people do with a workspace under its plan — sign-up, team and invitations, keys,
custom domains, settings.
"""
