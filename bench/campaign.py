"""Sending a personalised campaign: messages per second to a local SMTP sink, and memory.

A workspace gets 200 catalogue items and N consenting customers, each with three CRM
recommendations (generated in SQL, not timed), and a template with a merge field and a
recommendations block. Timed: every batch of `batch_send` until the campaign is sent (claim,
consent and suppression check, rendering through MJML, SMTP, the send log), against the same
pre-rendered message sent N times over one SMTP connection in the same run (the baseline). The
sink is another process that reads each message and throws it away. Peak RSS is read after the
first tenth of the sends and at the end: flat memory means the two are close.
Then the same campaign again with two worker processes at once (the machine's two cores, as the
Celery worker runs with concurrency 2). Target: >= 500 messages/s with two worker processes.
BENCH_SMOKE=1: 300 recipients.
"""

import multiprocessing
import os
import resource
import socketserver
import time

from bench import SMOKE, enforced

SLUG = "bench-mail"
RECIPIENTS = 300 if SMOKE else int(os.environ.get("BENCH_RECIPIENTS", 50_000))
ITEMS = 200
BATCH = 1000
TARGET_PER_SECOND = 500

SEED_SQL = """
INSERT INTO crm_catalogitem (article, label, vintage, family, sub_family, category, price, price_band, tier,
                             active, recommendable, row_hash, created_at, updated_at)
SELECT 'ART' || i, 'Wine ' || i, '2024', 'Family ' || (i %% 10), '', '', 5 + (i %% 40), '', '',
       TRUE, TRUE, '', now(), now()
FROM generate_series(1, %(items)s) i;

INSERT INTO crm_customer (external_id, email, first_name, last_name, phone, address, postal_code, city,
                          country, language, marketing_consent, consent_source, source, row_hash,
                          created_at, updated_at)
SELECT 'C' || i, 'c' || i || '@example.com', 'First' || i, 'Customer ' || i, '', '', '', '', 'FR',
       CASE WHEN i %% 2 = 0 THEN 'fr' ELSE 'en' END, TRUE, 'bench', 'import', '', now(), now()
FROM generate_series(1, %(recipients)s) i;

INSERT INTO crm_recommendation (customer_id, item_id, kind, score, reason, as_of)
SELECT c.id, it.min_id + ((c.id * 7 + n * 31) %% %(items)s), 'cross_sell', 1.0 / (n + 1),
       '{"kind": "cross_sell", "antecedent": "Wine 1", "lift": 2.5, "confidence": 0.4}'::jsonb, now()::date
FROM crm_customer c, generate_series(0, 2) n, (SELECT min(id) AS min_id FROM crm_catalogitem) it;
ANALYZE crm_customer; ANALYZE crm_catalogitem; ANALYZE crm_recommendation;
"""

CONTENT = {
    language: {
        "subject": subject,
        "preheader": "",
        "blocks": [
            {"kind": "heading", "text": greeting},
            {"kind": "text", "text": "Our new vintage is in the cellar."},
            {"kind": "recommendations", "title": "", "count": 3, "url": "https://shop.example.com/"},
            {"kind": "button", "label": "Shop", "url": "https://shop.example.com/new"},
        ],
    }
    for language, subject, greeting in (
        ("en", 'News for {{ first_name | "you" }}', "Hello {{ first_name }}"),
        ("fr", 'Du nouveau pour {{ first_name | "vous" }}', "Bonjour {{ first_name }}"),
    )
}


class _Sink(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: every message accepted and dropped."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        for raw in self.rfile:
            command = raw[:4].upper()
            if command == b"DATA":
                self.wfile.write(b"354 go\r\n")
                for line in self.rfile:
                    if line == b".\r\n":
                        break
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def _serve(port) -> None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Sink)
    port.value = server.server_address[1]
    server.serve_forever()


def _send_until_done(tenant, campaign_id: int) -> None:
    """One worker: batches of the campaign until none is left (claims never overlap)."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.campaigns import sending
    from apps.campaigns.models import Campaign

    connection.close()  # the parent's, inherited by the fork: never shared
    with tenant_context(tenant):
        campaign = Campaign.objects.get(pk=campaign_id)
        while sending.batch_send(campaign):
            pass


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(env: dict[str, str]) -> bool:
    from django.conf import settings
    from django.db import connection, transaction

    from apps.accounts.services import tenant_provision
    from apps.campaigns import sending, services
    from apps.campaigns.delivery import mail_connection, message_build
    from apps.campaigns.models import Recipient, Template
    from apps.campaigns.rendering import PREVIEW_LINKS, message_render
    from apps.crm.models import Customer

    port = multiprocessing.Value("i", 0)
    sink = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    sink.start()
    while not port.value:
        time.sleep(0.01)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port.value, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.BREVO_API_KEY = ""
    settings.CAMPAIGNS_RATE_PER_MINUTE = BATCH

    tenant = tenant_provision(
        slug=SLUG,
        name="Bench Mail",
        owner_email=f"owner@{SLUG}.test",
        plan="enterprise",  # no e-mail quota
    )
    connection.set_tenant(tenant)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(SEED_SQL, {"items": ITEMS, "recipients": RECIPIENTS})
        template = Template.objects.create(name="Bench", content=CONTENT, default_language="en")
        audience = services.audience_save(name="Everyone", rules={}, user_id=None)
        campaign = services.campaign_create(name="Bench", audience=audience, template=template, user_id=None)
        services.campaign_start(campaign=campaign)  # queues the send log; its task is not run here

        rendered = message_render(template, customer=Customer.objects.first(), links=PREVIEW_LINKS)
        started = time.perf_counter()
        with mail_connection() as smtp:
            for n in range(RECIPIENTS):
                message_build(rendered, to=f"c{n}@example.com", connection=smtp).send()
        baseline = time.perf_counter() - started

        started, sent, rss_early = time.perf_counter(), 0, 0.0
        while claimed := sending.batch_send(campaign):
            sent += claimed
            rss_early = rss_early or (_rss_mb() if sent >= RECIPIENTS / 10 else 0.0)
        seconds = time.perf_counter() - started
        delivered = Recipient.objects.filter(campaign=campaign, status=Recipient.Status.SENT).count()

        second = services.campaign_create(
            name="Bench, two workers", audience=audience, template=template, user_id=None
        )
        services.campaign_start(campaign=second)
        connection.close()
        workers = [
            multiprocessing.Process(target=_send_until_done, args=(tenant, second.pk)) for _n in range(2)
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        two_seconds = time.perf_counter() - started
        connection.set_tenant(tenant)
        two_delivered = Recipient.objects.filter(campaign=second, status=Recipient.Status.SENT).count()
    finally:
        connection.set_schema_to_public()
        sink.terminate()
    rate, baseline_rate, two_rate = delivered / seconds, RECIPIENTS / baseline, two_delivered / two_seconds
    met = two_rate >= TARGET_PER_SECOND  # the machine's two cores, as the worker runs (concurrency 2)
    complete = delivered == two_delivered == RECIPIENTS  # a wrong count fails even a smoke run
    print(  # noqa: T201
        f"campaign: {RECIPIENTS:,} recipients, one worker process: {delivered:,} sent in {seconds:.2f} s "
        f"= {rate:,.0f}/s\n"
        f"  baseline (one pre-rendered message, one connection): {baseline:.2f} s = {baseline_rate:,.0f}/s; "
        f"personalised sending takes {seconds / baseline:.1f}× as long\n"
        f"  peak RSS {rss_early:.0f} MB after a tenth, {_rss_mb():.0f} MB at the end\n"
        f"  two worker processes: {two_delivered:,} sent in {two_seconds:.2f} s = {two_rate:,.0f}/s "
        f"[target >= {TARGET_PER_SECOND}: {'met' if met else 'MISSED'}]",
        flush=True,
    )
    return enforced(met) and complete
