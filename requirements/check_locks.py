"""`make lint`: every pin of requirements/<name>.txt (and of the files it includes) is in <name>.lock,
and production.lock pins every package it shares with dev.lock at the same version (what the
tests ran against is what the image installs).

A lock left behind by an edit of a .txt file fails here; `make lock` brings it up to date.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCKED = ("dev", "production")
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(path: Path) -> dict[str, str]:
    """{normalized name: version} of the `name==version` lines of a requirements file, `-r` followed."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif match := PIN.match(line):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def main() -> int:
    stale = []
    for name in LOCKED:
        locked = pins(HERE / f"{name}.lock")
        stale += [
            f"requirements/{name}.lock has {package}=={locked.get(package, '(none)')}, "
            f"requirements/{name}.txt wants {version}"
            for package, version in pins(HERE / f"{name}.txt").items()
            if locked.get(package) != version
        ]
    dev, production = pins(HERE / "dev.lock"), pins(HERE / "production.lock")
    stale += [
        f"requirements/production.lock has {package}=={version}, dev.lock {dev[package]}"
        for package, version in production.items()
        if dev.get(package, version) != version
    ]
    for line in stale:
        print(line, file=sys.stderr)  # noqa: T201
    if stale:
        print(  # noqa: T201
            "run `make lock`; a version already in a lock moves with "
            "`make lock LOCK_ARGS='--upgrade-package NAME'`",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
