from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError, Conflict, RateLimited


class WebhookUrlInvalid(ApplicationError):
    code = "webhook_url_invalid"
    status = 422
    message = _("Enter a valid http:// or https:// URL.")


class WebhookUrlForbidden(ApplicationError):
    code = "webhook_url_forbidden"
    status = 422
    message = _("This URL points to a private, loopback or reserved address: webhooks cannot be sent there.")


class WebhookEventsInvalid(ApplicationError):
    code = "webhook_events_invalid"
    status = 422
    message = _("Choose one or more of the event types offered.")


class WebhookDescriptionInvalid(ApplicationError):
    code = "webhook_description_invalid"
    status = 422
    message = _("The description is limited to 200 characters.")


class DeliveryInProgress(Conflict):
    code = "delivery_in_progress"
    message = _("This delivery is being sent right now. Try again in a few seconds.")


class WebhookTestTooSoon(RateLimited):
    code = "webhook_test_too_soon"
    message = _("A test event was just sent to this endpoint. Wait a few seconds, then send another.")
