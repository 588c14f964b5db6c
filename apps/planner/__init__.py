"""The marketing-plan assistant: scenarios (objectives, targets, resources) and the plans made for them."""
