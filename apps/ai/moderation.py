"""Word-list moderation: a brand's blocked words and the built-in list of the offline provider.

Matching is by whole word or phrase ("gun" does not match "begun", "cunt" not "Scunthorpe")
on a normalised form of both the text and the words, so the usual evasions match too:
- case, accents and compatibility forms: "FUSÍL", "fusíl" and fullwidth "ｆｕｓｉｌ" are "fusil";
- invisible characters (zero-width space and joiners, soft hyphen: Unicode format characters);
- Cyrillic and Greek look-alikes of Latin letters ("bоmb" with a Cyrillic о);
- leetspeak ("b0mb", "k1ll" and "ki11", "$3x", "n@zi");
- letters spaced out ("b o m b", "b.o.m.b", "a b-o-m-b"): in a run of three or more single
  letters, a word matches anywhere in the run.
Scripts written without spaces (Chinese, Japanese) have no word boundaries: a word in them
matches anywhere ("炸弹" in "我想要一个炸弹").
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Obvious violence, hate and sexual terms (en, fr). The offline provider's stand-in for a classifier:
# deliberately small, so ordinary prompts are not refused.
BUILTIN_BLOCKED_WORDS = (
    # violence
    "kill", "killing", "murder", "massacre", "gore", "behead", "beheading", "terrorist", "bomb",
    "gun", "rifle", "tuer", "meurtre", "terroriste", "bombe", "fusil",
    # hate
    "nazi", "swastika", "kkk", "white power", "genocide",
    # sexual
    "porn", "porno", "nude", "naked", "sex", "sexual", "nsfw", "hentai", "sexe",
)  # fmt: skip

DROPPED_CATEGORIES = {"Mn", "Me", "Cf"}  # accents and other marks; zero-width and format characters
HANGUL_FILLERS = {"\u115f", "\u1160"}  # invisible letters (what U+3164 and U+FFA0 decompose to)
LOOK_ALIKES = {
    # Cyrillic (lower case: text is case-folded first)
    "а": "a", "в": "b", "е": "e", "һ": "h", "н": "h", "і": "i", "ӏ": "l", "ј": "j", "к": "k",
    "м": "m", "о": "o", "р": "p", "ԛ": "q", "с": "c", "ѕ": "s", "т": "t", "у": "y", "ԝ": "w",
    "х": "x", "ԁ": "d",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Latin
    "ı": "i", "ɑ": "a", "ɡ": "g",
    # leetspeak
    "0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
}  # fmt: skip
# "1" stands for "i" or for "l": each text and word is compared in both readings.
READINGS = tuple(str.maketrans({**LOOK_ALIKES, "1": one}) for one in ("i", "l"))
SPACED_LETTERS = re.compile(r"(?<![^\W_])[^\W_](?:[\W_]+[^\W_](?![^\W_])){2,}")
SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str, reading: dict[int, str]) -> str:
    """The form both sides are compared in: case-folded, without marks or invisible characters,
    look-alikes and leetspeak read as the Latin letters they imitate."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = (
        char
        for char in decomposed
        if unicodedata.category(char) not in DROPPED_CATEGORIES and char not in HANGUL_FILLERS
    )
    return "".join(kept).translate(reading)


def _unspaced(char: str) -> bool:
    """Whether `char` belongs to a script written without spaces between words."""
    return unicodedata.name(char, "").startswith(("CJK", "HIRAGANA", "KATAKANA"))


def _pattern(phrase: str) -> re.Pattern:
    """`phrase` as a whole word or phrase (any spacing between its words)."""
    body = r"\s*".join(map(re.escape, phrase.split()))
    before = "" if _unspaced(phrase[0]) else r"(?<!\w)"
    after = "" if _unspaced(phrase[-1]) else r"(?!\w)"
    return re.compile(before + body + after)


def _occurs(word: str, text: str, spaced: list[str], reading: dict[int, str]) -> bool:
    """Whether `word` occurs in `text` (folded in `reading`) or in one of its `spaced` letter runs."""
    phrase = " ".join(fold(word, reading).split())
    if not phrase:
        return False
    return bool(_pattern(phrase).search(text)) or any(SEPARATORS.sub("", phrase) in run for run in spaced)


def blocked_words_found(text: str, words: Iterable[str]) -> list[str]:
    """The entries of `words` that occur in `text` as whole words, in the order given, once each."""
    forms = []
    for reading in READINGS:
        folded = fold(text, reading)
        spaced = [SEPARATORS.sub("", run.group()) for run in SPACED_LETTERS.finditer(folded)]
        forms.append((folded, spaced, reading))
    return [
        word
        for word in dict.fromkeys(word.strip() for word in words)
        if any(_occurs(word, *form) for form in forms)
    ]


def blocked_word_reasons(text: str, words: Sequence[str]) -> list[str]:
    """For operators: which words were found, e.g. ["blocked word: gore"]."""
    return [_("blocked word: %(word)s") % {"word": word} for word in blocked_words_found(text, words)]


# --- what moderation found, and how people are told ------------------------------------------

BLOCKED_WORD = "blocked_word"
# The categories of OpenAI's moderation (omni-moderation), named for people.
CATEGORY_LABELS = {
    "harassment": gettext_lazy("harassment"),
    "harassment/threatening": gettext_lazy("threatening harassment"),
    "hate": gettext_lazy("hate"),
    "hate/threatening": gettext_lazy("threatening hate"),
    "illicit": gettext_lazy("illicit acts"),
    "illicit/violent": gettext_lazy("violent illicit acts"),
    "self-harm": gettext_lazy("self-harm"),
    "self-harm/intent": gettext_lazy("intent of self-harm"),
    "self-harm/instructions": gettext_lazy("self-harm instructions"),
    "sexual": gettext_lazy("sexual content"),
    "sexual/minors": gettext_lazy("sexual content involving minors"),
    "violence": gettext_lazy("violence"),
    "violence/graphic": gettext_lazy("graphic violence"),
}
OTHER_CATEGORY = gettext_lazy("content the moderation does not allow")


@dataclass(frozen=True)
class Finding:
    """One thing moderation found: a blocked word, or a category a classifier flagged."""

    code: str  # BLOCKED_WORD, or the classifier's category, e.g. "violence", "hate/threatening"
    word: str = ""  # the blocked word found: for operators only, never shown to shoppers

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "word": self.word} if self.word else {"code": self.code}


def blocked_word_findings(text: str, words: Sequence[str]) -> list[Finding]:
    return [Finding(BLOCKED_WORD, word) for word in blocked_words_found(text, words)]


def category_label(code: str) -> str:
    """A classifier's category in the active language (never the raw key)."""
    return str(CATEGORY_LABELS.get(code, OTHER_CATEGORY))


def _codes(findings: Iterable[Finding | Mapping]) -> list[str]:
    codes = (f.code if isinstance(f, Finding) else str(f.get("code", "")) for f in findings)
    return list(dict.fromkeys(code for code in codes if code))


def moderation_message(findings: Iterable[Finding | Mapping]) -> str:
    """Why a design was refused, for the shopper, in the active language.

    Never names the blocked word (the shopper would learn the brand's list, and the message may
    be shown to others); a classifier's categories are named by their translated labels.
    """
    codes = _codes(findings)
    sentences = []
    if BLOCKED_WORD in codes:
        sentences.append(_("Your text contains a word this brand does not allow."))
    categories = [category_label(code) for code in codes if code != BLOCKED_WORD]
    if categories:
        sentences.append(
            _("This request cannot be printed: it was flagged for %(categories)s.")
            % {"categories": ", ".join(dict.fromkeys(categories))}
        )
    if not sentences:
        sentences.append(_("This request cannot be printed. Try another description."))
    return " ".join(sentences)


def finding_labels(findings: Iterable[Finding | Mapping]) -> list[str]:
    """For the brand's staff and operators, in the active language: which word, which category."""
    labels = []
    for finding in findings:
        code, word = (
            (finding.code, finding.word)
            if isinstance(finding, Finding)
            else (str(finding.get("code", "")), str(finding.get("word", "")))
        )
        if code == BLOCKED_WORD:
            labels.append(_("blocked word: %(word)s") % {"word": word})
        elif code:
            labels.append(category_label(code))
    return labels
