"""billing: plans, subscriptions (Stripe through dj-stripe, or manual), quotas and usage."""
