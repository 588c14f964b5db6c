"""Build the widget: widget/src/*.js, in a fixed order, inside one IIFE, minified → dist/luneo.js.

    python widget/build.py            # write widget/dist/luneo.js (what `make widget` runs)
    python widget/build.py --check    # exit 1 if the committed file differs from a fresh build

No Node: the sources are plain modern JavaScript (ES2020) sharing one scope, so joining them
is the whole bundling; rjsmin only strips comments and whitespace. Same sources, same bytes.
"""

import sys
from pathlib import Path

import rjsmin

WIDGET_DIR = Path(__file__).resolve().parent
SOURCE_DIR = WIDGET_DIR / "src"
OUTPUT = WIDGET_DIR / "dist" / "luneo.js"
# Each file may use what the files before it declare.
SOURCES = (
    "strings.js",
    "dom.js",
    "api.js",
    "styles.js",
    "viewer.js",
    "checkout.js",
    "widget.js",
    "main.js",
)
BANNER = "/*! Luneo widget v1 | built by widget/build.py from widget/src: do not edit */\n"


def bundle() -> str:
    """The built script, as text."""
    body = "\n".join((SOURCE_DIR / name).read_text(encoding="utf-8") for name in SOURCES)
    return BANNER + rjsmin.jsmin(f'(()=>{{"use strict";\n{body}\n}})();') + "\n"


def main(argv: list[str]) -> int:
    built = bundle()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != built:
            print(f"{OUTPUT} is stale: run `make widget` and commit it.", file=sys.stderr)  # noqa: T201
            return 1
        return 0
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(built, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
