"""Send rates as token buckets in the real Redis: a bucket grants no more than its burst and rate,
refills with time (driven by the `now` the buckets take), is shared by the workspaces of one
provider, and an empty one makes the send task wait for the next token without sending."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from apps.campaigns import services
from apps.campaigns.models import Campaign, Recipient
from apps.campaigns.sending import batch_send_paced
from apps.campaigns.tasks import campaign_send_task
from apps.campaigns.throttle import Bucket, give_back, send_buckets, take
from tests.support.broker import broker_messages
from tests.support.campaigns import campaign_make
from tests.support.crm_pages import customer_make

START = 1_000_000.0  # the buckets' clock in these tests, in seconds


def test_a_bucket_never_grants_more_than_its_burst_and_rate_over_a_window(tenant):
    bucket = Bucket("test:greedy", per_minute=60)
    grants = []  # (time, tokens): a greedy sender asking for 100 every quarter of a second
    for step in range(8 * 60 * 4):
        now = START + step / 4
        grants.append((now, take([bucket], 100, now=now).count))

    for start, _ in grants[:: 4 * 10]:
        for seconds in (0, 1, 10, 59, 60, 120, 300):
            window = sum(count for at, count in grants if start <= at <= start + seconds)
            assert window <= 60 + seconds  # the burst (one minute) and one token a second
    assert sum(count for _, count in grants) == 60 + 8 * 60 - 1  # and it does grant all of that


def test_a_bucket_refills_with_time_up_to_one_minute_of_its_rate(tenant):
    bucket = Bucket("test:refill", per_minute=120)

    assert take([bucket], 500, now=START).count == 120  # starts full: one minute
    empty = take([bucket], 1, now=START)
    assert (empty.count, empty.wait) == (0, pytest.approx(0.5, abs=0.002))  # two a second
    assert take([bucket], 1, now=START + 0.25).wait == pytest.approx(0.25, abs=0.002)
    assert take([bucket], 500, now=START + 15).count == 30
    give_back([bucket], 10, now=START + 15)
    assert take([bucket], 500, now=START + 20).count == 20
    assert take([bucket], 500, now=START + 3600).count == 120  # an idle hour holds one minute


def test_workers_taking_at_once_share_the_bucket_without_overdrawing_it(tenant):
    bucket = Bucket("test:concurrent", per_minute=100)

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: take([bucket], 3, now=START).count, range(200)))

    assert sum(counts) == 100


def test_two_buckets_grant_what_both_have_and_keep_the_rest(tenant):
    small, large = Bucket("test:small", per_minute=5), Bucket("test:large", per_minute=50)

    assert take([small, large], 20, now=START).count == 5
    assert take([large], 100, now=START).count == 45  # the other bucket kept what it had


def test_two_workspaces_on_the_same_provider_share_its_bucket(other_tenant, tenant, settings):
    settings.BREVO_API_KEY = "xkeysib-platform"
    settings.CAMPAIGNS_PROVIDER_RATES = {**settings.CAMPAIGNS_PROVIDER_RATES, "brevo": 100}
    alpha = send_buckets()
    connection.set_tenant(other_tenant)
    beta = send_buckets()

    assert alpha[1] == beta[1] == Bucket("provider:brevo", per_minute=100)
    assert alpha[0] != beta[0]
    assert take(alpha, 600, now=START).count == 100  # alpha's batch empties the provider's bucket
    assert take(beta, 600, now=START).wait == pytest.approx(0.6, abs=0.002)
    assert take(beta, 600, now=START + 6).count == 10


def test_a_workspace_with_its_own_brevo_key_gets_its_own_provider_bucket(other_tenant, tenant, settings):
    settings.BREVO_API_KEY = "xkeysib-platform"
    settings.CAMPAIGNS_PROVIDER_RATES = {**settings.CAMPAIGNS_PROVIDER_RATES, "brevo": 100}
    services.sending_settings_save(brevo_api_key="xkeysib-alpha-0042", rate_per_minute=None)
    alpha = send_buckets()
    connection.set_tenant(other_tenant)
    beta = send_buckets()

    assert alpha[1].name.startswith("provider:brevo:")
    assert "xkeysib" not in alpha[1].name
    assert beta[1].name == "provider:brevo"
    assert take(alpha, 600, now=START).count == 100
    assert take(beta, 600, now=START).count == 100  # the platform's key has its own


@pytest.fixture
def three_readers(tenant):
    for name in ("ada", "bob", "cat"):
        customer_make(first_name=name, email=f"{name}@example.com", marketing_consent=True)


def _countdown(message) -> float:
    """Seconds from now to a queued task's `eta`."""
    return (datetime.fromisoformat(message.headers["eta"]) - timezone.now()).total_seconds()


def test_an_empty_bucket_makes_the_task_wait_for_the_next_token_and_send_nothing(three_readers, settings):
    settings.CAMPAIGNS_RATE_PER_MINUTE = 2  # the workspace's bucket: two, one every 30 s
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)  # its task not run: queued after a commit that never comes
    broker_messages("default")  # start from an empty queue

    assert campaign_send_task(campaign.pk) == 2
    next_batch = broker_messages("default")
    assert campaign_send_task(campaign.pk) == 0
    waiting = broker_messages("default")

    assert len(mail.outbox) == 2
    assert 55 < _countdown(next_batch[0]) <= 60  # the next batch, a minute on
    assert 25 < _countdown(waiting[0]) <= 30  # the next token: not a failure, not a busy loop
    assert waiting[0].headers["task"] == "apps.campaigns.tasks.campaign_send_task"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert Recipient.objects.filter(campaign=campaign, status=Recipient.Status.QUEUED).count() == 1


def test_buckets_lost_with_redis_start_full_and_send_nobody_twice_and_unused_tokens_go_back(
    three_readers, settings
):
    settings.CAMPAIGNS_RATE_PER_MINUTE = 2
    campaign = campaign_make()
    services.campaign_start(campaign=campaign)
    assert batch_send_paced(campaign).claimed == 2
    assert batch_send_paced(campaign).wait > 0

    cache.clear()  # Redis flushed: every bucket forgotten

    assert batch_send_paced(campaign).claimed == 1
    assert take(send_buckets(), 5).count == 1  # the token it did not use, given back
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.com",
        "bob@example.com",
        "cat@example.com",
    ]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
