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
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

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
    return [_("blocked word: %(word)s") % {"word": word} for word in blocked_words_found(text, words)]
