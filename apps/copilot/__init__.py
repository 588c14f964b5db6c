"""copilot: the business assistant that answers from the workspace's own data (tools over the
other apps' selectors) and proposes actions it runs only on confirmation; offline or on OpenAI.
See docs/copilot.md."""
