"""Build the widget: widget/src/*.js, in a fixed order, inside one IIFE, minified → dist/luneo.js;
and its design editor, loaded on first use, as an ES module → dist/luneo-editor.js.

    python widget/build.py            # write widget/dist/ (what `make widget` runs)
    python widget/build.py --check    # exit 1 if a committed file differs from a fresh build

No Node: the sources are plain modern JavaScript (ES2020) sharing one scope, so joining them
is the whole bundling; rjsmin only strips comments and whitespace. Same sources, same bytes.

The English interface text has one source, the server's catalogue (apps/storefront/strings.py,
translated there and sent with the configuration): the build writes its English messages into
the script as `DEFAULT_STRINGS`, used until the configuration arrives or when it cannot load.
"""

import ast
import json
import sys
from pathlib import Path

import rjsmin

WIDGET_DIR = Path(__file__).resolve().parent
SOURCE_DIR = WIDGET_DIR / "src"
OUTPUT = WIDGET_DIR / "dist" / "luneo.js"
EDITOR_OUTPUT = WIDGET_DIR / "dist" / "luneo-editor.js"
CATALOGUE = WIDGET_DIR.parent / "apps" / "storefront" / "strings.py"
# Each file may use what the files before it declare.
SOURCES = (
    "strings.js",
    "dom.js",
    "api.js",
    "styles.js",
    "viewer.js",
    "cart.js",
    "checkout.js",
    "widget.js",
    "main.js",
)
# The editor module: the DOM helpers it shares with the widget, then the editor, exported.
EDITOR_SOURCES = ("dom.js", "editor.js")
BANNER = "/*! Luneo widget v1 | built by widget/build.py from widget/src: do not edit */\n"


def english_strings() -> dict[str, str]:
    """The catalogue's messages untranslated: `STRINGS = {"key": _("message"), …}`, read as source."""
    module = ast.parse(CATALOGUE.read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in module.body
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["STRINGS"]
    )
    return {key.value: call.args[0].value for key, call in zip(table.keys, table.values, strict=True)}


def bundle() -> str:
    """The built script, as text."""
    defaults = f"const DEFAULT_STRINGS = {json.dumps(english_strings(), ensure_ascii=False)};"
    body = "\n".join([defaults, *((SOURCE_DIR / name).read_text(encoding="utf-8") for name in SOURCES)])
    return BANNER + rjsmin.jsmin(f'(()=>{{"use strict";\n{body}\n}})();') + "\n"


def editor_bundle() -> str:
    """The editor module, as text (modules are strict without saying so)."""
    body = "\n".join((SOURCE_DIR / name).read_text(encoding="utf-8") for name in EDITOR_SOURCES)
    return BANNER + rjsmin.jsmin(f"{body}\nexport {{ Editor }};") + "\n"


def main(argv: list[str]) -> int:
    outputs = {OUTPUT: bundle(), EDITOR_OUTPUT: editor_bundle()}
    if "--check" in argv:
        stale = [
            path
            for path, built in outputs.items()
            if not path.exists() or path.read_text(encoding="utf-8") != built
        ]
        for path in stale:
            print(f"{path} is stale: run `make widget` and commit it.", file=sys.stderr)  # noqa: T201
        return 1 if stale else 0
    OUTPUT.parent.mkdir(exist_ok=True)
    for path, built in outputs.items():
        path.write_text(built, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
