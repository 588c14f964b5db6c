"""Occasion dates found in personalization text: "Anna & Tom 12.06.2021", "Happy 40th birthday
Paul", "Joyeux anniversaire Marie", "安娜和汤姆 2021年6月12日". A design made for an occasion
says the occasion comes back: a year later it becomes a reminder.

Pure functions: text in, `Occasion`s out; a date in, the reminder's date out. No database.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

BIRTHDAY = "birthday"
WEDDING = "wedding"
ANNIVERSARY = "anniversary"
DATE = "date"  # a date worth remembering, with no word saying which kind
KINDS = (BIRTHDAY, WEDDING, ANNIVERSARY, DATE)

# A design made up to this many days after the date it names was made for that day (a late
# gift); further from it, for the next time the day comes round.
LATE_GIFT_DAYS = 30

MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
}  # fmt: skip
_MONTH = "|".join(sorted((re.escape(name) for name in MONTHS), key=len, reverse=True))

# Dates: 12.06.2021, 12/06/21, 12-06-2021 (day first, as in Europe); 2021-06-12; 12 June 2021,
# 1er mai 2020, June 12th, 2021; 2021年6月12日.
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<![\d.])(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4}|\d{2})(?![\d.])")),
    ("zh", re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")),
    (
        "d_month",
        re.compile(
            rf"(?<![\w])(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?P<month>{_MONTH})\.?(?:\s+(?P<y>\d{{4}}))?(?![\w])",
            re.IGNORECASE,
        ),
    ),
    (
        "month_d",
        re.compile(
            rf"(?<![\w])(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?(?![\w])",
            re.IGNORECASE,
        ),
    ),
]

_KIND_WORDS = [
    # Checked in this order: "anniversaire de mariage" is a wedding anniversary, not a birthday.
    (
        ANNIVERSARY,
        re.compile(
            r"\banniversary\b|anniversaire\s+de\s+mariage|\bnoces\b|周年|结婚纪念日|纪念日",
            re.IGNORECASE,
        ),
    ),
    (
        WEDDING,
        re.compile(
            r"\bwedding\b|\bjust\s+married\b|\bmarried\b|\bmariage\b|\bmari[ée]e?s\b|\bvivent\s+les\s+mari[ée]s\b"
            r"|婚礼|结婚|新婚|大婚",
            re.IGNORECASE,
        ),
    ),
    (
        BIRTHDAY,
        re.compile(r"\bbirthday\b|\bb-?day\b|\banniversaire\b|\banniv\b|生日|寿辰|大寿", re.IGNORECASE),
    ),
]

# "40th", "1st", "40e", "40ème", "40 ans", "40岁"
_ORDINAL = re.compile(
    r"(?<!\d)(?P<n>\d{1,3})\s*(?:st|nd|rd|th|e|ème|eme|er|ans|岁|周岁|周年)(?![A-Za-zÀ-ÿ])", re.IGNORECASE
)

_NAME = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
# Two people: "Anna & Tom", "Anna and Tom", "Anna et Tom", "Anna + Tom".
_COUPLE = re.compile(rf"(?P<a>{_NAME})\s*(?:&|\+|\band\b|\bet\b)\s*(?P<b>{_NAME})")
_ZH_COUPLE = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,3})\s*[和与&＆]\s*(?P<b>[\u4e00-\u9fff]{2,3})")
# Who a birthday is for: "birthday Paul", "birthday, Paul", "anniversaire Marie", "Paul's birthday".
_AFTER_KIND = re.compile(
    rf"(?:birthday|b-?day|anniversaire|anniv)[\s,!]*(?:to\s+|à\s+|a\s+|de\s+|dear\s+|cher\s+|chère\s+)?(?P<n>{_NAME})",
    re.IGNORECASE,
)
_BEFORE_KIND = re.compile(rf"(?P<n>{_NAME})['’]s\s+(?:\d{{1,3}}(?:st|nd|rd|th)\s+)?birthday", re.IGNORECASE)
_ZH_BIRTHDAY = re.compile(r"(?:祝|给)?(?P<n>[\u4e00-\u9fff]{2,3}?)\s*(?:\d{1,3}\s*(?:岁|周岁))?\s*生日快乐")
# Capitalised words that are not names.
_NOT_NAMES = {
    "happy", "joyeux", "joyeuse", "bon", "bonne", "wedding", "birthday", "anniversary", "anniversaire",
    "mariage", "love", "forever", "toujours", "pour", "for", "with", "avec", "the", "le", "la", "les",
    "our", "notre", "nos", "mr", "mrs", "ms", "mme", "mlle", "and", "et", "just", "married", "dear",
    "cher", "chère", "de", "du", "to", "à", "save", "date", "day", "jour", "merry", "best",
    *MONTHS,
}  # fmt: skip
_ZH_NOT_NAMES = {"祝你", "祝您", "生日", "快乐", "祝"}


@dataclass(frozen=True)
class Occasion:
    """An occasion a text names: its kind, the people, the date written (if any), the ordinal
    ("40th birthday" → 40) and the text it was found in."""

    kind: str
    names: tuple[str, ...] = ()
    day: date | None = None
    year_given: bool = False  # whether `day`'s year was written (else the text's year is assumed)
    ordinal: int | None = None
    text: str = ""


def _year(value: str | None) -> int | None:
    if not value:
        return None
    year = int(value)
    return year + (2000 if year < 70 else 1900) if year < 100 else year


def _date_build(year: int | None, month: int, day: int, default_year: int) -> date | None:
    try:
        return date(year or default_year, month, day)
    except ValueError:
        return None


def dates_find(text: str, *, default_year: int = 2000) -> list[tuple[date, bool]]:
    """The dates written in `text`, in order: (date, whether its year was written). A date without
    its year takes `default_year`; an impossible date (31.02.2021) is no date."""
    found: list[tuple[int, date, bool]] = []
    taken: list[range] = []
    for style, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text or ""):
            span = range(*match.span())
            if any(span.start < other.stop and other.start < span.stop for other in taken):
                continue
            groups = match.groupdict()
            month = (
                MONTHS[groups["month"].lower().rstrip(".")]
                if style in ("d_month", "month_d")
                else int(groups["m"])
            )
            year = _year(groups.get("y"))
            built = _date_build(year, month, int(groups["d"]), default_year)
            if built is not None:
                taken.append(span)
                found.append((match.start(), built, year is not None))
    return [(day, year_given) for _, day, year_given in sorted(found, key=lambda row: row[0])]


def _names(text: str, kind: str) -> tuple[str, ...]:
    couple = _COUPLE.search(text) or _ZH_COUPLE.search(text)
    if couple and couple["a"].lower() not in _NOT_NAMES and couple["b"].lower() not in _NOT_NAMES:
        return (couple["a"], couple["b"])
    if kind == BIRTHDAY:
        for pattern in (_AFTER_KIND, _BEFORE_KIND):
            for match in pattern.finditer(text):
                if match["n"].lower() not in _NOT_NAMES and match["n"][0].isupper():
                    return (match["n"],)
        chinese = _ZH_BIRTHDAY.search(text)
        if chinese and chinese["n"] not in _ZH_NOT_NAMES:
            return (chinese["n"].removeprefix("祝"),)
    return ()


def _kind(text: str) -> str | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return None


def _ordinal(text: str) -> int | None:
    for match in _ORDINAL.finditer(text):
        number = int(match["n"])
        if 0 < number <= 120:
            return number
    return None


def occasions_extract(text: str, *, default_year: int = 2000) -> list[Occasion]:
    """The occasion `text` names, as a list of at most one: a kind word (birthday, wedding,
    anniversary; in English, French or Chinese) or a date with people's names is an occasion.
    A date alone ("12.06.2021") is one too: someone wrote it on a gift. Text naming nothing is
    none (an empty list)."""
    text = (text or "").strip()
    if not text:
        return []
    days = dates_find(text, default_year=default_year)
    kind = _kind(text)
    names = _names(_dates_blanked(text), kind or "")
    if kind is None:
        if not days:
            return []
        kind = ANNIVERSARY if len(names) == 2 else DATE
    day, year_given = days[0] if days else (None, False)
    ordinal = _ordinal(_dates_blanked(text)) if kind in (BIRTHDAY, ANNIVERSARY) else None
    return [Occasion(kind=kind, names=names, day=day, year_given=year_given, ordinal=ordinal, text=text)]


def _dates_blanked(text: str) -> str:
    """`text` without its dates, before reading an ordinal ("12th June" is no 12th birthday)."""
    for _, pattern in _DATE_PATTERNS:
        text = pattern.sub(" ", text)
    return text


def _on(year: int, month: int, day: int) -> date:
    """That day in `year`; 29 February is the 28th in other years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)


def occasion_date(occasion: Occasion, *, seen_on: date) -> date:
    """The day the design seen on `seen_on` was made for: the written day (month and day) nearest
    ahead of `seen_on` (or up to LATE_GIFT_DAYS behind it); `seen_on` itself when no day is written."""
    if occasion.day is None:
        return seen_on
    candidate = _on(seen_on.year, occasion.day.month, occasion.day.day)
    if candidate < seen_on - timedelta(days=LATE_GIFT_DAYS):
        candidate = _on(seen_on.year + 1, occasion.day.month, occasion.day.day)
    elif candidate > seen_on + timedelta(days=365 - LATE_GIFT_DAYS):
        candidate = _on(seen_on.year - 1, occasion.day.month, occasion.day.day)
    return candidate


def reminder_date(occasion: Occasion, *, seen_on: date, today: date) -> date:
    """When to remind of `occasion`: its day a year after the one the design was made for, or, if
    that has passed, the next time that day comes round on or after `today`."""
    first = occasion_date(occasion, seen_on=seen_on)
    year = first.year + 1
    while _on(year, first.month, first.day) < today:
        year += 1
    return _on(year, first.month, first.day)


def ordinal_on(occasion: Occasion, *, seen_on: date, on: date) -> int | None:
    """The occasion's number when it comes back on `on`: a 40th birthday seen in 2024 is the 41st
    in 2025; a wedding on 12.06.2021 has its 4th anniversary in 2025."""
    first = occasion_date(occasion, seen_on=seen_on)
    if occasion.ordinal is not None:
        return occasion.ordinal + (on.year - first.year)
    if occasion.kind in (WEDDING, ANNIVERSARY) and occasion.day is not None and occasion.year_given:
        years = on.year - occasion.day.year
        return years if years > 0 else None
    return None
