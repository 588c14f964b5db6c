"""webhooks: outbound events to a workspace's endpoints — signed, retried with backoff, logged and
redeliverable.
"""
