"""`python -m config.embedded exec --throwaway`, for real: fresh PostgreSQL and Redis in a new
directory inside the data directory (`LUNEO_DATA_DIR`), stopped and deleted when the command ends.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from config import embedded

# Run under the servers: uses both, prints the data directory's throwaway entries and the URLs.
PROBE = """
import os, sys
from pathlib import Path
import psycopg, redis
with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
    assert connection.execute("SELECT 1").fetchone() == (1,)
assert redis.Redis.from_url(os.environ["REDIS_URL"]).ping()
print(",".join(sorted(path.name for path in Path(os.environ["LUNEO_DATA_DIR"]).glob("luneo-*"))))
print(os.environ["DATABASE_URL"])
print(os.environ["REDIS_URL"])
sys.exit(3)
"""


@pytest.fixture
def data_dir():
    (embedded.BASE_DIR / ".data").mkdir(exist_ok=True)  # short paths inside the repo (pgserver's sockets)
    path = Path(tempfile.mkdtemp(prefix="embedded-", dir=embedded.BASE_DIR / ".data"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _processes_mentioning(path: Path) -> list[str]:
    """Command lines of live processes that name `path` (a server left running under it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and str(path) in command:
            found.append(command)
    return found


def test_throwaway_servers_live_inside_the_data_dir_and_are_gone_after(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "config.embedded", "exec", "--throwaway", "--", sys.executable, "-c", PROBE],
        cwd=embedded.BASE_DIR,
        env={**env, "LUNEO_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr  # the command's own exit status
    throwaway, database_url, redis_url = result.stdout.split()
    assert "," not in throwaway  # one directory, made for this run
    assert throwaway.startswith("luneo-")
    run_dir = data_dir / throwaway
    assert Path(urlsplit(redis_url).path).is_relative_to(run_dir)
    socket_dir = unquote(urlsplit(database_url).netloc.rpartition("@")[2])
    assert Path(socket_dir).is_relative_to(data_dir)
    assert not run_dir.exists()
    assert not list(data_dir.glob("luneo-*"))
    assert not _processes_mentioning(run_dir)
