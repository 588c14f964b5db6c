"""brands: a workspace's brands (identity, widget origins, moderation rules) and their publishable keys."""
