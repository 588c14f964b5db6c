"""The French and Chinese catalogues: every string translated, nothing fuzzy, the .mo files
compiled from the .po files, and every literal string the code marks for translation present."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "zh_Hans")
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# {% translate "…" %} with a literal (not `context`, not `noop`), in a template of ours.
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?P<rest>[^%]*)%\}""")


def _unquote(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])


def po_entries(language: str) -> list[dict]:
    """Each entry of locale/<language>/LC_MESSAGES/django.po: msgctxt, msgid, msgstr(s), flags."""
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        entry, key = {"flags": set(), "msgstr": {}}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                keyword = line.split(" ", 1)[0]
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if "[" in keyword else 0
                    key = ("msgstr", index)
                    entry["msgstr"][index] = _unquote(line)
                else:
                    key = keyword
                    entry[key] = _unquote(line)
        if "msgid" in entry and entry["msgid"]:
            entries.append(entry)
    return entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    entries = po_entries(language)

    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]

    assert len(entries) > 500  # the parser read the catalogue
    assert untranslated == []
    assert fuzzy == []


def test_both_languages_translate_the_same_strings():
    french, chinese = ({(e.get("msgctxt"), e["msgid"]) for e in po_entries(lang)} for lang in LANGUAGES)

    assert french - chinese == set()
    assert chinese - french == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    with (ROOT / "locale" / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog

    stale = []
    for entry in po_entries(language):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        key = (msgid, 0) if "msgid_plural" in entry else msgid
        if compiled.get(key) != entry["msgstr"][0]:
            stale.append(entry["msgid"])

    assert stale == []  # run: msgfmt --check-format -o …/django.mo …/django.po


def _python_msgids() -> set[str]:
    found = set()
    for path in (ROOT / "apps").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[1] if name.startswith("pgettext") and len(node.args) > 1 else node.args[0]
            if name in GETTEXT_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _template_msgids() -> set[str]:
    found = set()
    for folder in (ROOT / "apps", ROOT / "templates"):
        for path in folder.rglob("*.html"):
            for match in TRANSLATE_TAG.finditer(path.read_text(encoding="utf-8")):
                if "context" in match["rest"] or "noop" in match["rest"]:
                    continue
                found.add(match[2].replace("%", "%%"))  # as makemessages writes a template's "%"
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_the_code_marks_has_a_translation(language):
    translated = {e["msgid"] for e in po_entries(language)}
    marked = _python_msgids() | _template_msgids()

    assert len(marked) > 500  # the scan found the project's strings
    assert sorted(marked - translated) == []  # run makemessages (locale/README.md), then translate
