"""Chaos: what a crash or a restart does to designs, webhooks and requests, on the bench's own servers.

Four scenarios, each printing PASS/FAIL with its figures (loopback only, bounded in time):

- worker kill -9: the pool process running a design's step is killed (`kill -9`) mid-design.
  Target: the design is ready once — one `design.ready` event, one webhook received, one asset
  per (view, kind), the same kinds as a design nobody disturbed (acks_late, idempotent steps).
- Redis restart: `POST /api/v1/designs` at a steady rate through gunicorn while Redis (cache,
  broker) shuts down (saving, as a persistent Redis does) and comes back. Targets: answers
  are 2xx again ≤ 10 s after Redis is back; every accepted design gets ready; no webhook event
  is received twice.
- PostgreSQL restart: `/readyz` and `GET /api/v1/designs` polled while PostgreSQL stops and
  starts again. Targets: while it is down they answer 503 (never 500); both are 200 again
  ≤ 15 s after it is back.
- webhook receiver down for an hour: the receiver stops listening; each delivery is attempted,
  fails, and its next attempt is made due at once (the clock moved by the retry's wait: 30 s,
  2 min, 8 min, 32 min — about 42 minutes of retries) and swept, as the beat would, until
  an hour has passed on that clock; then the receiver is back. Target: every event received
  exactly once, each delivery succeeded.

The servers restarted are the embedded ones `python -m config.embedded exec --throwaway` started
for this run (`make bench-chaos`); the benchmark refuses to run on any other server.
`BENCH_CHAOS=kill,redis,postgres,receiver` picks scenarios; `BENCH_KEEP_LOGS=1` keeps the
workers' logs (their paths are in the system's temporary directory) to read after a FAIL.
"""

import contextlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil

from bench import SMOKE
from bench.api import _free_port, gunicorn

BASE_DIR = Path(__file__).resolve().parent.parent
SLUG = "bench-chaos"
PROMPT = "a lighthouse at dawn"
DESIGN_TIMEOUT_SECONDS = 30 if SMOKE else 60
REDIS_TRAFFIC_RATE = 1.0  # POST /api/v1/designs per second
REDIS_OUTAGE_SECONDS = 2.0 if SMOKE else 3.0
PG_OUTAGE_SECONDS = 2.0 if SMOKE else 4.0
TRAFFIC_BEFORE_SECONDS = 2.0 if SMOKE else 3.0
TRAFFIC_AFTER_SECONDS = 6.0 if SMOKE else 12.0
POLL_SECONDS = 0.1
TARGET_REDIS_RECOVERY_SECONDS = 10.0
TARGET_PG_RECOVERY_SECONDS = 15.0
RECEIVER_DOWN = timedelta(hours=1)


def _say(line: str) -> None:
    print(line, flush=True)  # noqa: T201


def _verdict(name: str, ok: bool, figures: str) -> bool:
    _say(f"{'PASS' if ok else 'FAIL'} {name}: {figures}")
    return ok


def _load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


# --- the embedded servers ----------------------------------------------------------------------


def _embedded_paths() -> tuple[Path, Path, Path]:
    """(PostgreSQL data directory, its socket directory, Redis directory) of the embedded servers
    under `config.embedded.DATA_DIR`; RuntimeError for any other server (never restart those)."""
    from django.db import connection

    from config.embedded import DATA_DIR

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        pgdata = Path(cursor.fetchone()[0]).resolve()
    socket_dir = Path(unquote(urlsplit(os.environ["DATABASE_URL"]).hostname or ""))
    redis_url = urlsplit(os.environ["REDIS_URL"])
    redis_dir = Path(redis_url.path).parent.resolve()
    for path in (pgdata, redis_dir):
        if redis_url.scheme != "unix" or not path.is_relative_to(DATA_DIR):
            raise RuntimeError(f"{path} is not an embedded server under {DATA_DIR}: run `make bench-chaos`")
    return pgdata, socket_dir, redis_dir


def _pg_ctl(pgdata: Path, *args: str) -> None:
    from config.embedded import _pg_bin

    user = "pgserver" if os.geteuid() == 0 else None
    command = [_pg_bin("pg_ctl"), "-D", str(pgdata), "-w", *args]
    subprocess.run(command, user=user, check=True, capture_output=True, timeout=60)


def _postgres_stop(pgdata: Path) -> None:
    _pg_ctl(pgdata, "-m", "fast", "stop")


def _postgres_start(pgdata: Path, socket_dir: Path) -> None:
    log = pgdata / "chaos-restart.log"
    _pg_ctl(pgdata, "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(log), "start")


def _redis_restart(redis_dir: Path, outage: float) -> None:
    """SHUTDOWN SAVE (a persistent Redis keeps its queues), `outage` seconds, then start again."""
    from config.embedded import _start_redis, _stop_redis

    _stop_redis(redis_dir, save=True)
    time.sleep(outage)
    _start_redis(redis_dir)


# --- processes -----------------------------------------------------------------------------------


@contextlib.contextmanager
def worker(env: dict[str, str], concurrency: int) -> Iterator[subprocess.Popen]:
    log = tempfile.NamedTemporaryFile(prefix="luneo-bench-chaos-worker-", suffix=".log", delete=False)
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "ai,default",
        "--concurrency", str(concurrency), "--hostname", f"bench-chaos-{concurrency}@%h",
        "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if not os.environ.get("BENCH_KEEP_LOGS"):  # BENCH_KEEP_LOGS=1: kept, to read after a FAIL
            Path(log.name).unlink(missing_ok=True)


class Receiver:
    """A webhook receiver on loopback: counts each event id it is sent; can go down and come back."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.received: Counter[str] = Counter()
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received[json.loads(body)["id"]] += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


def _request(
    port: int, method: str, path: str, headers: dict, body: bytes | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Host": "localhost", **headers})
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


# --- designs -------------------------------------------------------------------------------------


def _wait_ready(pks: set[int], timeout: float = DESIGN_TIMEOUT_SECONDS) -> dict[int, str]:
    """Each design's status once all are done (ready, failed, rejected), or at the deadline."""
    from django.db import connections

    from apps.designs.models import Design

    done = {Design.Status.READY, Design.Status.FAILED, Design.Status.REJECTED}
    deadline = time.monotonic() + timeout
    while True:
        statuses = dict(Design.objects.filter(pk__in=pks).values_list("pk", "status"))
        if all(status in done for status in statuses.values()) or time.monotonic() > deadline:
            connections.close_all()
            return statuses
        time.sleep(0.2)


def _ready_events(pks: set[int]) -> Counter[str]:
    """`design.ready` events recorded per design (public id)."""
    from apps.designs.models import Design
    from apps.webhooks.models import WebhookEvent

    ids = set(Design.objects.filter(pk__in=pks).values_list("public_id", flat=True))
    payloads = WebhookEvent.objects.filter(type="design.ready").values_list("payload", flat=True)
    return Counter(payload["id"] for payload in payloads if payload["id"] in ids)


def _asset_shape(pk: int) -> Counter:
    from apps.designs.models import DesignAsset

    return Counter(DesignAsset.objects.filter(design_id=pk).values_list("view_id", "kind"))


def _wait_deliveries(event_ids: set[str], receiver: Receiver, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(receiver.received[event] for event in event_ids):
        time.sleep(0.2)


def _event_ids(pks: set[int]) -> set[str]:
    from apps.designs.models import Design
    from apps.webhooks.models import WebhookEvent

    ids = set(Design.objects.filter(pk__in=pks).values_list("public_id", flat=True))
    events = WebhookEvent.objects.filter(type="design.ready").values_list("public_id", "payload")
    return {public_id for public_id, payload in events if payload["id"] in ids}


# --- scenarios -----------------------------------------------------------------------------------


def scenario_worker_kill(env: dict[str, str], product_id: int, receiver: Receiver) -> bool:
    from apps.designs.models import Design
    from apps.designs.services import design_create

    mid = {Design.Status.COMPOSITING, Design.Status.EXPORTING}
    with worker(env, 1) as process:
        calm = design_create(product=product_id, prompt=PROMPT).pk
        _wait_ready({calm})
        design = design_create(product=product_id, prompt=PROMPT)
        started, killed_in = time.monotonic(), None
        while killed_in is None and time.monotonic() - started < DESIGN_TIMEOUT_SECONDS:
            status = Design.objects.filter(pk=design.pk).values_list("status", flat=True).get()
            if status in mid:
                for child in psutil.Process(process.pid).children(recursive=True):
                    child.kill()  # SIGKILL: no cleanup, no ack
                killed_in = status
            time.sleep(0.01)
        statuses = _wait_ready({design.pk})
        elapsed = time.monotonic() - started
        _wait_deliveries(_event_ids({design.pk}), receiver)
        time.sleep(1.0)  # a second delivery, if any, would come now
    events = _ready_events({design.pk, calm})
    shape, calm_shape = _asset_shape(design.pk), _asset_shape(calm)
    received = [receiver.received[event] for event in _event_ids({design.pk})]
    ok = (
        killed_in is not None
        and statuses.get(design.pk) == Design.Status.READY
        and events[design.public_id] == 1
        and received == [1]
        and set(shape) == set(calm_shape)
        and set(shape.values()) == {1}
    )
    return _verdict(
        "worker kill -9 mid-design",
        ok,
        f"killed in {killed_in}; status {statuses.get(design.pk)} after {elapsed:.1f} s; "
        f"design.ready events {events[design.public_id]}, webhooks received {received}; "
        f"assets {sum(shape.values())} ({len(shape)} (view, kind), "
        f"max {max(shape.values(), default=0)} each; "
        f"undisturbed design: {sum(calm_shape.values())})",
    )


def _traffic(port: int, headers: dict, body: bytes, seconds: float, log: list) -> None:
    """POST at REDIS_TRAFFIC_RATE for `seconds`; log (time, status, design public id)."""
    begin = time.monotonic()
    index = 0
    while (due := begin + index / REDIS_TRAFFIC_RATE) < begin + seconds:
        time.sleep(max(0.0, due - time.monotonic()))
        status, answer = _request(port, "POST", "/api/v1/designs", headers, body)
        public_id = json.loads(answer).get("id") if status == 202 else None
        log.append((time.monotonic(), status, public_id))
        index += 1


def _recovered_after(log: list, back: float, good: set[int]) -> float | None:
    """Seconds from `back` to the first answer in `good` after which every answer is in `good`."""
    first = None
    for at, status, *_rest in log:
        if status in good:
            first = first if first is not None else at
        else:
            first = None
    return None if first is None else max(0.0, first - back)


def scenario_redis_restart(env: dict[str, str], redis_dir: Path, secret: str, product_id, receiver) -> bool:
    from apps.designs.models import Design

    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    body = json.dumps({"product": product_id, "prompt": PROMPT}).encode()
    port, log = _free_port(), []
    with worker(env, 2), gunicorn(env, port):
        seconds = TRAFFIC_BEFORE_SECONDS + REDIS_OUTAGE_SECONDS + TRAFFIC_AFTER_SECONDS
        traffic = threading.Thread(target=_traffic, args=(port, headers, body, seconds, log))
        traffic.start()
        time.sleep(TRAFFIC_BEFORE_SECONDS)
        down = time.monotonic()
        _redis_restart(redis_dir, REDIS_OUTAGE_SECONDS)
        back = time.monotonic()
        traffic.join()
        accepted = {public_id for _at, _status, public_id in log if public_id}
        pks = set(Design.objects.filter(public_id__in=accepted).values_list("pk", flat=True))
        statuses = _wait_ready(pks, DESIGN_TIMEOUT_SECONDS + 3 * len(pks))  # a backlog to work off
        _wait_deliveries(_event_ids(pks), receiver)
        time.sleep(1.0)  # a second delivery, if any, would come now
    recovery = _recovered_after([entry for entry in log if entry[0] >= down], back, {202})
    during = Counter(status for at, status, _id in log if down <= at <= back + (recovery or 0))
    ready = sum(1 for status in statuses.values() if status == Design.Status.READY)
    stuck = dict(Counter(status for status in statuses.values() if status != Design.Status.READY))
    duplicates = sum(1 for event in _event_ids(pks) if receiver.received[event] > 1)
    missing = sum(1 for event in _event_ids(pks) if receiver.received[event] == 0)
    ok = (
        recovery is not None
        and recovery <= TARGET_REDIS_RECOVERY_SECONDS
        and ready == len(accepted)
        and not duplicates
        and not missing
    )
    return _verdict(
        "Redis restart mid-traffic",
        ok,
        f"{len(log)} POSTs at {REDIS_TRAFFIC_RATE:g}/s, Redis down {back - down:.1f} s; answers during the "
        f"outage and recovery {dict(during)}; "
        f"2xx again {recovery if recovery is None else f'{recovery:.1f}'} s "
        f"after Redis was back [target <= {TARGET_REDIS_RECOVERY_SECONDS:.0f} s]; designs accepted "
        f"{len(accepted)}, ready {ready}, lost {len(accepted) - ready} {stuck or ''}; "
        f"webhooks missing {missing}, "
        f"received twice {duplicates}",
    )


def _poll(port: int, headers: dict, stop: threading.Event, log: list) -> None:
    """Log `(answered at, ready, api, asked at)`: a poll asked before PostgreSQL stopped may be
    answered 200 after, so the outage counts only polls asked after it stopped and answered
    before it was started again."""
    while not stop.is_set():
        asked = time.monotonic()
        ready, _body = _request(port, "GET", "/readyz", {})
        api, _body = _request(port, "GET", "/api/v1/designs", headers)
        log.append((time.monotonic(), ready, api, asked))
        time.sleep(POLL_SECONDS)


def scenario_postgres_restart(env: dict[str, str], pgdata: Path, socket_dir: Path, secret: str) -> bool:
    from django.db import connections

    headers = {"Authorization": f"Bearer {secret}"}
    port, log, stop = _free_port(), [], threading.Event()
    connections.close_all()
    with worker(env, 1), gunicorn(env, port):
        deadline = time.monotonic() + 30  # /readyz green: the worker answers its ping
        while _request(port, "GET", "/readyz", {})[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        poller = threading.Thread(target=_poll, args=(port, headers, stop, log))
        poller.start()
        time.sleep(1.0)
        down = time.monotonic()
        _postgres_stop(pgdata)
        stopped = time.monotonic()
        time.sleep(PG_OUTAGE_SECONDS)
        starting = time.monotonic()
        _postgres_start(pgdata, socket_dir)
        back = time.monotonic()
        deadline = back + TARGET_PG_RECOVERY_SECONDS + 10
        while time.monotonic() < deadline:
            tail = [entry for entry in log if entry[0] > back]
            if len(tail) >= 5 and all(ready == api == 200 for _at, ready, api, _asked in tail[-5:]):
                break
            time.sleep(0.2)
        stop.set()
        poller.join()
    outage = [(ready, api) for at, ready, api, asked in log if stopped <= asked and at <= starting]
    after = [entry for entry in log if entry[0] >= down]
    recovery = _recovered_after(
        [(at, 200 if ready == api == 200 else 0) for at, ready, api, _asked in after], back, {200}
    )
    readyz_codes = Counter(ready for ready, _api in outage)
    api_codes = Counter(api for _ready, api in outage)
    fives = sum(1 for _at, ready, api, _asked in after if 500 in (ready, api))
    ok = (
        bool(outage)
        and set(readyz_codes) == {503}
        and set(api_codes) == {503}
        and not fives
        and recovery is not None
        and recovery <= TARGET_PG_RECOVERY_SECONDS
    )
    return _verdict(
        "PostgreSQL restart",
        ok,
        f"down {back - stopped:.1f} s (stop took {stopped - down:.1f} s); "
        f"while down /readyz {dict(readyz_codes)}, "
        f"GET /api/v1/designs {dict(api_codes)}; 500s {fives}; both 200 again "
        f"{recovery if recovery is None else f'{recovery:.1f}'} s after it was back "
        f"[target <= {TARGET_PG_RECOVERY_SECONDS:.0f} s]",
    )


def _deliveries_move_and_sweep(event_ids: set[str]) -> None:
    """The clock moves on by `by` for these deliveries: their next attempt is due (and overdue by the
    sweep's grace), then the sweep queues them, as beat's per-workspace sweep does."""
    from django.utils import timezone

    from apps.webhooks.models import WebhookDelivery
    from apps.webhooks.services import SWEEP_GRACE, deliveries_sweep

    pending = WebhookDelivery.objects.filter(event__public_id__in=event_ids, status="pending")
    pending.update(next_attempt_at=timezone.now() - SWEEP_GRACE - timedelta(seconds=1))
    deliveries_sweep()


def _attempts(event_ids: set[str]) -> list[int]:
    from apps.webhooks.models import WebhookDelivery

    return list(
        WebhookDelivery.objects.filter(event__public_id__in=event_ids).values_list("attempt_count", flat=True)
    )


def _wait_attempts(event_ids: set[str], count: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and min(_attempts(event_ids), default=0) < count:
        time.sleep(0.1)


def scenario_receiver_down(env: dict[str, str], receiver: Receiver) -> bool:
    from django.db import transaction

    from apps.webhooks.models import WebhookDelivery
    from apps.webhooks.services import event_publish, retry_delay

    events = 3
    receiver.down()
    with worker(env, 1):
        with transaction.atomic():
            published = [event_publish(type="design.ready", data={"id": f"chaos-{n}"}) for n in range(events)]
        event_ids = {event.public_id for event in published}
        _wait_attempts(event_ids, 1)
        clock, attempts = timedelta(), 1
        while clock + (wait := timedelta(seconds=retry_delay(attempts))) < RECEIVER_DOWN:
            clock += wait  # the retry's wait, moved on at once
            _deliveries_move_and_sweep(event_ids)
            attempts += 1
            _wait_attempts(event_ids, attempts)
        failed_attempts = min(_attempts(event_ids))
        receiver.up()
        _deliveries_move_and_sweep(event_ids)
        _wait_deliveries(event_ids, receiver)
        _deliveries_move_and_sweep(event_ids)  # a second sweep: must send nothing
        time.sleep(1.0)
    statuses = Counter(
        WebhookDelivery.objects.filter(event__public_id__in=event_ids).values_list("status", flat=True)
    )
    received = [receiver.received[event] for event in event_ids]
    ok = statuses == Counter({"succeeded": events}) and received == [1] * events
    return _verdict(
        "webhook receiver down for an hour (simulated clock)",
        ok,
        f"{events} events; {failed_attempts} failed attempts each over "
        f"{clock.total_seconds() / 60:.0f} simulated minutes, receiver back at 60; then deliveries "
        f"{dict(statuses)}, times each event was received {sorted(received)}",
    )


def run(env: dict[str, str]) -> bool:
    from django.db import connections
    from django.test.utils import override_settings
    from django_tenants.utils import tenant_context

    from apps.accounts.services import tenant_provision
    from apps.products.models import Product
    from apps.products.services import catalog_seed_demo
    from apps.tenants.services import api_key_create
    from apps.webhooks.services import endpoint_create

    pgdata, socket_dir, redis_dir = _embedded_paths()
    _say(_load_average() + " before")
    receiver = Receiver()
    receiver.up()
    results = []
    with tempfile.TemporaryDirectory(prefix="luneo-bench-media-") as media:
        env = {**env, "MEDIA_ROOT": media}
        with override_settings(MEDIA_ROOT=media):
            tenant = tenant_provision(slug=SLUG, name="Bench chaos", owner_email=f"owner@{SLUG}.test")
            with tenant_context(tenant):
                catalog_seed_demo()
                product_id = Product.objects.get(sku="POSTER-A").pk
                _key, secret = api_key_create(
                    tenant=tenant, name="bench", scopes=["designs:write", "designs:read"]
                )
                endpoint_create(url=receiver.url, events=["design.ready"])
                connections.close_all()
                scenarios = {
                    "kill": lambda: scenario_worker_kill(env, product_id, receiver),
                    "redis": lambda: scenario_redis_restart(env, redis_dir, secret, product_id, receiver),
                    "postgres": lambda: scenario_postgres_restart(env, pgdata, socket_dir, secret),
                    "receiver": lambda: scenario_receiver_down(env, receiver),
                }
                for name in os.environ.get("BENCH_CHAOS", ",".join(scenarios)).split(","):
                    results.append(scenarios[name]())
                    connections.close_all()
    receiver.down()
    _say(_load_average() + " after")
    _say(f"chaos: {sum(results)}/{len(results)} scenarios passed")
    return all(results)
