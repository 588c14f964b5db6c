"""`make run`: the development supervisor.

One process owns the embedded PostgreSQL and Redis (config.embedded). It applies the
migrations and seeds the demo workspace (`prepare`, in one child process), then runs the web
server (daphne: HTTP and websockets on one port), a Celery worker and Celery beat as
children, and prints the URLs and logins once /readyz answers. Ctrl-C or SIGTERM stops the
children, then the servers; a child that dies on its own stops everything (exit status 1).

    python -m config.run    # env: HOST, PORT (127.0.0.1, 8000); LUNEO_DATA_DIR (.data)

With DATABASE_URL and REDIS_URL set, it uses those servers and starts none.

Children connect by socket path (DATABASE_URL/REDIS_URL in their environment); a
`manage.py` started by hand in another terminal finds them through `<data>/embedded.env`.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from config import embedded

BASE_DIR = embedded.BASE_DIR
DEFAULT_SETTINGS = "config.settings.dev"
STOP_TIMEOUT_SECONDS = 10
READY_TIMEOUT_SECONDS = 60
PR_SET_PDEATHSIG = 1


class Stop(Exception):
    """SIGTERM or SIGINT asked the supervisor to stop."""


class ChildFailed(Exception):
    pass


@dataclass(frozen=True)
class Child:
    name: str
    process: subprocess.Popen


def say(message: str) -> None:
    print(f"[luneo] {message}", flush=True)  # noqa: T201 — the supervisor talks to a terminal


def _die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM when the supervisor dies, even by SIGKILL (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _ignore_signals() -> None:
    """From here on the shutdown runs to its end; a second Ctrl-C must not cut it short."""
    for name in (signal.SIGTERM, signal.SIGINT):
        signal.signal(name, signal.SIG_IGN)


def _on_signal(signum, frame) -> None:
    _ignore_signals()
    raise Stop()


@contextlib.contextmanager
def _exclusive(data_dir: Path) -> Iterator[None]:
    """One supervisor per data directory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "run.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"Luneo is already running on {data_dir}; stop it first.") from None
        yield


def _spawn(name: str, args: list[str], env: dict[str, str], **popen) -> Child:
    """`python ARGS` in its own process group, dying with the supervisor."""
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        process_group=0,
        preexec_fn=_die_with_parent,
        **popen,
    )
    return Child(name, process)


def _terminate(children: list[Child]) -> None:
    """SIGTERM every child's process group, wait, then SIGKILL whatever is left of each group."""
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop within {STOP_TIMEOUT_SECONDS} s: killing it.")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, signal.SIGKILL)  # e.g. a worker's pool processes
        child.process.wait()


def database_create_if_missing(settings_dict: dict) -> bool:
    """Create the database a `DATABASE_URL` names when the server does not have it yet.

    Returns whether it was created. Connects to the server's `postgres` database to ask.
    """
    import psycopg
    from psycopg import sql

    name = settings_dict["NAME"]
    params = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def prepare() -> None:
    """In a child process (`python -m config.run prepare`): migrations, then demo data.

    One Django start-up for both; migrating also syncs the periodic jobs (`apps/core/schedules.py`).
    The demo logins go to stdout; the rest to stderr.
    """
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if database_create_if_missing(connection.settings_dict):
        print(f"[luneo] Created the database {connection.settings_dict['NAME']}.", file=sys.stderr)  # noqa: T201
    call_command("migrate_schemas", verbosity=0, stdout=sys.stderr)
    call_command("seed_demo")


def _prepare(env: dict[str, str]) -> str:
    """Run `prepare` in a child; returns the demo logins it prints."""
    say("Applying migrations (the first run takes about 70 s: dj-stripe's history in the public schema).")
    started = time.monotonic()
    child = _spawn("prepare", ["-m", "config.run", "prepare"], env, stdout=subprocess.PIPE, text=True)
    try:
        logins, _err = child.process.communicate()
    except BaseException:
        _terminate([child])
        raise
    if child.process.returncode != 0:
        raise ChildFailed(f"migrations or demo data failed (exit {child.process.returncode})")
    say(f"Database up to date, demo data in place ({time.monotonic() - started:.1f} s).")
    return logins


def web_args(host: str, port: str) -> list[str]:
    """The web server's command line after `python`: daphne, HTTP and websockets on one port."""
    return ["-m", "daphne", "-b", host, "-p", port, "config.asgi:application"]


def _start_children(host: str, port: str, env: dict[str, str]) -> list[Child]:
    worker = ["worker", "-Q", "default,ai,etl", "--concurrency", "2", "-l", "info"]
    return [
        _spawn("web", web_args(host, port), env),
        _spawn("worker", ["-m", "celery", "-A", "config", *worker], env),
        _spawn("beat", ["-m", "celery", "-A", "config", "beat", "-l", "info"], env),
    ]


def _check(children: list[Child]) -> None:
    for child in children:
        code = child.process.poll()
        if code is not None:
            raise ChildFailed(f"{child.name} exited unexpectedly (exit {code})")


def _probe(host: str, port: str, path: str) -> tuple[int, str]:
    address = "127.0.0.1" if host in ("", "0.0.0.0") else f"[{host}]" if ":" in host else host
    request = urllib.request.Request(f"http://{address}:{port}{path}", headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def _wait_until_ready(host: str, port: str, children: list[Child]) -> None:
    """/readyz answers 200 once the database, Redis and a Celery worker all answer."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    status, body = 0, ""
    while time.monotonic() < deadline:
        _check(children)
        status, body = _probe(host, port, "/readyz")
        if status == 200:
            return
        time.sleep(0.2)
    say(f"/readyz still answers {status} after {READY_TIMEOUT_SECONDS} s: {body[:300]}")


def _banner(port: str, logins: str) -> str:
    domain = os.environ.get("BASE_DOMAIN", "localhost")
    root = f"http://{domain}:{port}"
    lines = [
        "",
        "Luneo is running. Ctrl-C stops everything.",
        f"  public site      {root}/",
        f"  demo dashboard   http://demo.{domain}:{port}/",
        f"  operators admin  {root}/admin/",
        f"  API docs         {root}/api/docs/",
        "",
        logins.rstrip(),
        "",
    ]
    return "\n".join(lines)


def run() -> int:
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if settings_module.endswith(".production"):
        raise SystemExit("config.run is for development; production runs the Dockerfile's commands.")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    data_dir = embedded.DATA_DIR
    external = bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    children: list[Child] = []
    code = 1
    with _exclusive(data_dir):
        started = time.monotonic()
        try:
            if external:
                say("Using the PostgreSQL and Redis of DATABASE_URL and REDIS_URL.")
                servers_env = {}
            else:
                servers_env = embedded.start(data_dir).environ()
                say(f"PostgreSQL and Redis are up under {data_dir} ({time.monotonic() - started:.1f} s).")
            env = {**os.environ, **servers_env, "DJANGO_SETTINGS_MODULE": settings_module, "PORT": port}
            logins = _prepare(env)
            children = _start_children(host, port, env)
            _wait_until_ready(host, port, children)
            say(f"Ready in {time.monotonic() - started:.1f} s.")
            print(_banner(port, logins), flush=True)  # noqa: T201
            while True:
                _check(children)
                time.sleep(0.5)
        except Stop:
            say("Stopping…")
            code = 0
        except ChildFailed as exc:
            say(f"{exc}: stopping everything.")
        finally:
            _ignore_signals()
            stopping = time.monotonic()
            _terminate(children)
            if not external:
                embedded.stop(data_dir)
            say(f"Stopped in {time.monotonic() - stopping:.1f} s.")
    return code


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    else:
        sys.exit(run())
