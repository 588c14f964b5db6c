"""Public-schema billing jobs run by beat (they touch no workspace schema). Safe to repeat."""

from celery import shared_task

from . import services, stripe_billing


@shared_task(acks_late=True, queue="default")
def subscriptions_lapse_task() -> int:
    """Trials and grace periods that ended fall back to Starter, and their owners are told."""
    return services.subscriptions_lapse()


@shared_task(acks_late=True, queue="default")
def overage_report_task() -> int:
    """Designs beyond the Pro quota reported to Stripe's meter (nothing in manual mode)."""
    return stripe_billing.overage_report()
