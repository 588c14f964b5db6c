"""The default plans: created by the migration, edited by operators in the admin afterwards."""

from .models import Plan

DEFAULT_PLANS = [
    {
        "code": "starter",
        "name": "Starter",
        "position": 0,
        "designs_per_month": 50,
        "emails_per_month": 1000,
        "ai_tokens_per_month": 200_000,
        "brands": 1,
        "seats": 2,
        "webhook_endpoints": 1,
        "features": [],
    },
    {
        "code": "pro",
        "name": "Pro",
        "position": 1,
        "monthly_price_eur": 29900,
        "monthly_price_usd": 32900,
        "yearly_months_charged": 10,
        "designs_per_month": 5000,
        "overage": True,
        "overage_price_eur": 8,
        "overage_price_usd": 9,
        "emails_per_month": 50000,
        "ai_tokens_per_month": 5_000_000,
        "brands": 5,
        "seats": 10,
        "webhook_endpoints": 10,
        "features": ["white_label", "analytics", "api", "integrations", "custom_domain"],
    },
    {
        "code": "enterprise",
        "name": "Enterprise",
        "position": 2,
        "self_serve": False,
        "designs_per_month": None,
        "emails_per_month": None,
        "ai_tokens_per_month": None,
        "brands": None,
        "seats": None,
        "webhook_endpoints": None,
        "features": ["white_label", "analytics", "api", "integrations", "custom_domain"],
    },
]


def plans_ensure() -> None:
    """Create the default plans that are missing (existing ones, maybe edited, are left alone)."""
    for fields in DEFAULT_PLANS:
        Plan.objects.get_or_create(code=fields["code"], defaults=fields)
