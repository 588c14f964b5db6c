from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, Conflict


class QuotaExceeded(ApplicationError):
    code = "quota_exceeded"
    status = 402
    message = _("This workspace has used all the AI designs its plan includes this month. Upgrade to go on.")


class PlanLimitReached(ApplicationError):
    code = "plan_limit_reached"
    status = 402
    message = _("Your plan allows no more of these. Upgrade your plan to add more.")


class FeatureNotInPlan(ApplicationError):
    code = "feature_not_in_plan"
    status = 402
    message = _("Your plan does not include this feature. Upgrade your plan to use it.")


class ManualBilling(Conflict):
    code = "billing_manual"
    message = _("Online payment is not available: contact sales to change your plan.")


class PlanNotPurchasable(Conflict):
    code = "plan_not_purchasable"
    message = _("This plan cannot be bought online: contact sales.")


class NoStripeCustomer(Conflict):
    code = "billing_no_customer"
    message = _("This workspace has no payment details yet: choose a plan first.")


class StripeUnavailable(ApplicationError):
    code = "billing_provider_unavailable"
    status = 503
    message = _("The payment provider did not answer. Try again in a minute.")
