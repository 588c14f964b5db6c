"""`make run`'s supervisor, for real: embedded servers, daphne, a Celery worker and beat.

It runs on a throwaway data directory and a free port, with dj-stripe's flat test migration
(tests/ops/run_settings.py) so that a cold start takes seconds instead of ~70 s.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from config import embedded
from tests.support.processes import free_port

pytestmark = pytest.mark.worker

BASE_DIR = embedded.BASE_DIR
START_TIMEOUT_SECONDS = 150


@pytest.fixture(scope="module")
def data_dir():
    (BASE_DIR / ".data").mkdir(exist_ok=True)  # short paths inside the repo (pgserver's sockets)
    path = Path(tempfile.mkdtemp(prefix="run-", dir=BASE_DIR / ".data"))
    yield path
    embedded.stop(path, save=False)  # in case a test failed half-way
    shutil.rmtree(path, ignore_errors=True)


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _start(data_dir: Path, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "LUNEO_DATA_DIR": str(data_dir),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "tests.ops.run_settings",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "config.run"], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while "Luneo is running" not in log.read_text():
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.5)
    return process, port


def _processes_of(data_dir: Path, root_pid: int) -> set[int]:
    """Live processes started for `data_dir`: the supervisor's tree and the servers' trees."""
    parents, marked = {}, set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            continue  # a zombie has exited
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        if str(data_dir).encode() in cmdline or f"LUNEO_DATA_DIR={data_dir}".encode() in environ:
            marked.add(pid)
    found, changed = marked | ({root_pid} & parents.keys()), True
    while changed:
        children = {pid for pid, parent in parents.items() if parent in found} - found
        changed = bool(children)
        found |= children
    return found


def _stop_and_wait(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    process.send_signal(sig)
    return process.wait(timeout=60)


def test_run_starts_everything_seeds_the_demo_and_stops_cleanly(data_dir, tmp_path):
    # given a supervisor started on an empty data directory
    log = tmp_path / "run.log"
    process, port = _start(data_dir, log)
    try:
        output = log.read_text()
        # then the web server answers, readiness covers the database, Redis and a live worker
        assert _get(port, "/healthz") == 200
        assert _get(port, "/readyz") == 200
        # and the demo workspace exists, with its logins and the URLs printed
        with psycopg.connect(embedded.read_urls(data_dir)["DATABASE_URL"]) as connection:
            row = connection.execute("SELECT name FROM tenants_tenant WHERE schema_name = 'demo'").fetchone()
        assert row == ("Demo Brand",)
        for text in ("owner@demo.luneo.test", "admin@demo.luneo.test", "ops@luneo.test"):
            assert text in output
        assert f"http://demo.localhost:{port}/" in output
        assert f"http://localhost:{port}/admin/" in output
        running = _processes_of(data_dir, process.pid)
        assert len(running) >= 5  # supervisor, daphne, worker, beat, postgres, redis…
    finally:
        # when it gets SIGTERM
        code = _stop_and_wait(process)
    # then it exits 0 and nothing it started is left
    assert code == 0, log.read_text()[-3000:]
    assert _processes_of(data_dir, process.pid) == set()
    assert not (data_dir / embedded.URLS_FILENAME).exists()


def test_a_dying_child_stops_everything_with_an_error(data_dir, tmp_path):
    # given a running supervisor (on the data directory of the test above: a warm start)
    log = tmp_path / "run.log"
    process, port = _start(data_dir, log)
    try:
        web = {
            pid
            for pid in _processes_of(data_dir, process.pid)
            if b"daphne" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }
        assert web
        # when the web server dies on its own
        for pid in web:
            os.kill(pid, signal.SIGKILL)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            _stop_and_wait(process)
    # then the supervisor stops the rest and the servers, and exits non-zero
    assert code == 1, log.read_text()[-3000:]
    assert "web exited unexpectedly" in log.read_text()
    assert _processes_of(data_dir, process.pid) == set()
