"""Double opt-in: a person subscribes on the workspace's sign-up page, receives a confirmation
message with a signed link that expires, and only the confirmation (a POST: mail scanners
prefetch links) gives marketing consent, logged with its time, IP address and source."""

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.api.ratelimit import rate_limit_hit
from apps.core.signed_links import link_token, link_token_read
from apps.crm.models import Customer
from apps.crm.models.customers import Channel
from apps.crm.services import customer_for_email, customer_update, email_normalize
from apps.tenants.services import tenant_url

from .delivery import Rendered, mail_connection, message_build
from .models import Suppression

SALT = "campaigns.optin"
# At most this many confirmation messages per address and day: a form cannot be used to flood.
CONFIRMATIONS_PER_DAY = 3
SIGNUPS_PER_IP_HOUR = 20  # and at most this many sign-ups an hour from one IP address


def confirmation_url(customer: Customer) -> str:
    token = link_token(SALT, connection.schema_name, customer.pk, customer.email)
    return tenant_url(connection.tenant, reverse("campaigns-public:confirm", kwargs={"token": token}))


def subscribe(*, email: str, first_name: str = "", language: str = "", ip: str = "") -> bool:
    """Send the confirmation message (in the person's language). False when this address, or this
    IP address, had its share of messages; nothing is said either way about whether the address
    was known."""
    email = email_normalize(email)
    schema = connection.schema_name
    if rate_limit_hit(
        bucket=(schema, "optin-ip", ip), limit=SIGNUPS_PER_IP_HOUR, window=3600
    ) or rate_limit_hit(bucket=(schema, "optin", email), limit=CONFIRMATIONS_PER_DAY, window=86400):
        return False
    customer = customer_for_email(
        email=email, first_name=first_name, language=language, source=Channel.SIGNUP
    )
    with translation.override(language or customer.language or settings.LANGUAGE_CODE):
        context = {"workspace": connection.tenant, "url": confirmation_url(customer), "customer": customer}
        rendered = Rendered(
            subject=_("Confirm your subscription to %(name)s") % {"name": connection.tenant.name},
            preheader="",
            html=render_to_string("campaigns/email/optin.html", context),
            text=render_to_string("campaigns/email/optin.txt", context),
            language=translation.get_language(),
        )
    with mail_connection() as mail:
        message_build(rendered, to=customer.email, connection=mail).send()
    return True


def confirmation_customer(token: str) -> Customer | None:
    """The customer a confirmation link is for, if it is valid, unexpired, of this workspace and
    their e-mail has not changed since."""
    values = link_token_read(
        token, salt=SALT, max_age=settings.CAMPAIGNS_OPTIN_MAX_AGE, types=(str, int, str)
    )
    if values is None or values[0] != connection.schema_name:
        return None
    return Customer.objects.filter(pk=values[1], email=values[2]).first()


@transaction.atomic
def confirm(*, customer: Customer, ip: str | None) -> None:
    customer_update(customer=customer, marketing_consent=True, consent_source="double opt-in", consent_ip=ip)
    Suppression.objects.filter(email=customer.email, reason=Suppression.Reason.UNSUBSCRIBED).delete()
