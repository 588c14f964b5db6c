"""Writes of the analytics app: the daily rollup, and the weekly report email."""

from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.ai.models import AIUsage
from apps.core.hygiene import one_line
from apps.designs.models import Design
from apps.orders.models import Order
from apps.tenants.models import Membership, Role, Tenant
from apps.tenants.services import tenant_url

from . import reports
from .models import DailyStat
from .selectors import LIVE_DAYS, Period, daily_aggregates, kpis

FIRST_RUN_DAYS = 400  # a workspace's first refresh covers this much history


@transaction.atomic
def rollup_refresh(*, start: date, end: date) -> int:
    """Rewrite the rollup rows of the days start..end from the tables. Returns the rows written."""
    DailyStat.objects.filter(day__gte=start, day__lte=end).delete()
    now = timezone.now()
    rows = [
        DailyStat(day=day, metric=metric, currency=currency, value=value, refreshed_at=now)
        for day, metric, currency, value in daily_aggregates(start, end)
    ]
    DailyStat.objects.bulk_create(rows)
    return len(rows)


def _days_touched(since) -> set[date]:
    """Days whose figures may have changed since `since`: orders created or moved, designs and AI calls."""
    days: set[date] = set()
    for queryset, field in (
        (Order.objects.filter(updated_at__gte=since), "created_at"),
        (Design.objects.filter(created_at__gte=since), "created_at"),
        (AIUsage.objects.filter(created_at__gte=since), "created_at"),
    ):
        days |= set(queryset.annotate(day=TruncDate(field)).values_list("day", flat=True).distinct())
    return days


def rollup_catch_up() -> int:
    """Beat: refresh the days touched since the last refresh (the first time, all history).

    The days just before today are refreshed every time too, so a day always has its rows when
    it leaves the live window (the last LIVE_DAYS are read live). Safe to repeat. Returns the
    days refreshed.
    """
    today = timezone.now().date()
    last = DailyStat.objects.aggregate(last=Max("refreshed_at"))["last"]
    if last is None:
        start = today - timedelta(days=FIRST_RUN_DAYS)
        rollup_refresh(start=start, end=today - timedelta(days=1))
        return FIRST_RUN_DAYS
    recent = {today - timedelta(days=offset) for offset in range(1, LIVE_DAYS + 2)}
    days = sorted(day for day in _days_touched(last) | recent if day < today)
    for day in days:
        rollup_refresh(start=day, end=day)
    return len(days)


WEEKLY_SENT_TTL = 6 * 24 * 3600
WEEKLY_SENDING_TTL = 15 * 60  # a run that died mid-send frees its owners' mails after this


def weekly_report_send() -> int:
    """The last 7 full days, to each owner who opted in, in their language, with the PDF attached.

    Safe to repeat: an owner is marked as served once the mail server took their mail, so a run
    that failed (the mail server refused or was down) is completed by the next one, and a
    redelivered or parallel run sends nothing twice. Returns the emails sent.
    """
    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    today = timezone.now().date()
    period = Period(today - timedelta(days=7), today - timedelta(days=1))
    owners = Membership.objects.filter(
        tenant=tenant, role=Role.OWNER, weekly_report=True, user__is_active=True
    ).select_related("user")
    sent = 0
    for membership in owners:
        key = f"weekly-report:{tenant.schema_name}:{period.end}:{membership.user_id}"
        if not cache.add(key, "sending", WEEKLY_SENDING_TTL):
            continue  # served already, or being served by a parallel run
        try:
            with translation.override(membership.user.language or settings.LANGUAGE_CODE):
                _weekly_email(tenant, period, membership.user.email).send()
        except Exception:
            cache.delete(key)  # not sent: the next run sends it
            raise
        cache.set(key, "sent", WEEKLY_SENT_TTL)
        sent += 1
    return sent


def _weekly_email(tenant: Tenant, period: Period, to: str) -> EmailMessage:
    context = {"tenant": tenant, "period": period, "kpis": kpis(period), "link": tenant_url(tenant, "/")}
    message = EmailMessage(
        subject=one_line(reports.report_title(tenant.name, period)),
        body=render_to_string("analytics/email/weekly.txt", context),
        to=[to],
    )
    name = f"{tenant.schema_name}-report-{period.start}-{period.end}.pdf"
    message.attach(name, reports.report_pdf(workspace=tenant.name, period=period), "application/pdf")
    return message
