"""The weekly report is safe to repeat: an owner counts as served only once the mail server took
their mail, so a refused send is sent by the next run, and a mail taken is never sent twice.

The mail server is a local SMTP server (tests/support/smtp.py) behind Django's SMTP backend.
"""

import smtplib

import pytest

from apps.analytics import tasks
from apps.analytics.services import weekly_report_send
from apps.tenants.models import Membership, Role
from tests.support.workspaces import member

REFUSED = 554


@pytest.fixture
def second_owner(tenant):
    return member(tenant, Role.OWNER, email="second@alpha.test")


@pytest.fixture
def opted_in(tenant):
    Membership.objects.filter(tenant=tenant, role=Role.OWNER).update(weekly_report=True)


def recipients(server) -> list[str]:
    return sorted(message["To"] for message in server.received)


@pytest.mark.usefixtures("opted_in")
def test_a_report_the_mail_server_refused_is_sent_by_the_next_run(smtp_server):
    # Given a mail server that refuses the first message
    smtp_server.answers = [REFUSED]

    # When the Monday job fails, then runs again (and once more, as a redelivered task would)
    with pytest.raises(smtplib.SMTPDataError):
        weekly_report_send()
    sent = weekly_report_send()
    again = weekly_report_send()

    # Then the owner got the week's report, once
    assert (sent, again) == (1, 0)
    assert recipients(smtp_server) == ["owner@alpha.test"]
    assert smtp_server.received[0].get_content_type() == "multipart/mixed"  # the PDF attached


@pytest.mark.usefixtures("second_owner", "opted_in")
def test_after_a_refusal_midway_only_the_owners_not_served_get_it(smtp_server):
    smtp_server.answers = [250, REFUSED]

    with pytest.raises(smtplib.SMTPDataError):
        weekly_report_send()
    sent = weekly_report_send()

    assert sent == 1
    assert recipients(smtp_server) == ["owner@alpha.test", "second@alpha.test"]


@pytest.mark.usefixtures("opted_in")
def test_the_task_retries_a_send_the_mail_server_refused(smtp_server):
    smtp_server.answers = [REFUSED]

    result = tasks.weekly_report_task.apply()

    assert result.get() == 1
    assert recipients(smtp_server) == ["owner@alpha.test"]
