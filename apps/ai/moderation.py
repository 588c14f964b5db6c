"""Word-list moderation: a brand's blocked words and the built-in list of the offline provider.

Matching is by whole word or phrase, case-insensitive, with accents folded ("Fusil" and "fusíl"
both match "fusil"; "gun" does not match "begun").
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


def fold(text: str) -> str:
    """Lower case without accents: the form both sides are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def blocked_words_found(text: str, words: Iterable[str]) -> list[str]:
    """The entries of `words` that occur in `text` as whole words, in the order given, once each."""
    folded = fold(text)
    found = []
    for word in dict.fromkeys(word.strip() for word in words):
        phrase = fold(word)
        if not phrase:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
        if re.search(pattern, folded):
            found.append(word)
    return found


def blocked_word_reasons(text: str, words: Sequence[str]) -> list[str]:
    return [_("blocked word: %(word)s") % {"word": word} for word in blocked_words_found(text, words)]
