"""Occasion dates in personalization text (English, French, Chinese), and when they come back."""

from datetime import date

import pytest

from apps.crm.occasions import (
    ANNIVERSARY,
    BIRTHDAY,
    DATE,
    WEDDING,
    Occasion,
    dates_find,
    occasion_date,
    occasions_extract,
    ordinal_on,
    reminder_date,
)
from apps.crm.selectors import design_words


@pytest.mark.parametrize(
    ("text", "kind", "names", "day", "ordinal"),
    [
        # English
        ("Anna & Tom 12.06.2021", ANNIVERSARY, ("Anna", "Tom"), date(2021, 6, 12), None),
        ("Anna and Tom 2021-06-12", ANNIVERSARY, ("Anna", "Tom"), date(2021, 6, 12), None),
        ("Happy 40th birthday Paul", BIRTHDAY, ("Paul",), None, 40),
        ("Happy birthday, Paul!", BIRTHDAY, ("Paul",), None, None),
        ("Paul's 30th birthday", BIRTHDAY, ("Paul",), None, 30),
        ("Just married — Emma + Liam, June 12th, 2021", WEDDING, ("Emma", "Liam"), date(2021, 6, 12), None),
        ("Our 10th anniversary", ANNIVERSARY, (), None, 10),
        ("Save the date 14/02/2026", DATE, (), date(2026, 2, 14), None),
        # French
        ("Joyeux anniversaire Marie !", BIRTHDAY, ("Marie",), None, None),
        ("Joyeux 40e anniversaire Paul", BIRTHDAY, ("Paul",), None, 40),
        ("Anna et Tom, mariage le 1er mai 2020", WEDDING, ("Anna", "Tom"), date(2020, 5, 1), None),
        ("Joyeux anniversaire de mariage Anna et Tom", ANNIVERSARY, ("Anna", "Tom"), None, None),
        ("Léa & Hugo 12 juin 2021", ANNIVERSARY, ("Léa", "Hugo"), date(2021, 6, 12), None),
        # Chinese
        ("安娜和汤姆 2021年6月12日", ANNIVERSARY, ("安娜", "汤姆"), date(2021, 6, 12), None),
        ("祝小明生日快乐", BIRTHDAY, ("小明",), None, None),
        ("小明40岁生日快乐", BIRTHDAY, ("小明",), None, 40),
        ("结婚纪念日 2019年5月20日", ANNIVERSARY, (), date(2019, 5, 20), None),
        ("新婚快乐 2024年10月1日", WEDDING, (), date(2024, 10, 1), None),
    ],
)
def test_occasions_are_read_in_english_french_and_chinese(text, kind, names, day, ordinal):
    [occasion] = occasions_extract(text, default_year=2024)

    assert (occasion.kind, occasion.names, occasion.day, occasion.ordinal) == (kind, names, day, ordinal)
    assert occasion.text == text


@pytest.mark.parametrize(
    "text",
    [
        "A lighthouse by the sea in watercolour",
        "",
        "   ",
        "31.02.2021",
        "Un phare au bord de la mer",
        "海边的灯塔",
    ],
)
def test_text_naming_no_occasion_gives_none(text):
    assert occasions_extract(text) == []


def test_dates_in_every_written_form():
    found = dates_find(
        "12.06.2021, 2021-06-13, 14/6/21, 15 June 2021, June 16th, 2021, 17 juin, 2021年6月18日"
    )

    assert found == [
        (date(2021, 6, 12), True),
        (date(2021, 6, 13), True),
        (date(2021, 6, 14), True),
        (date(2021, 6, 15), True),
        (date(2021, 6, 16), True),
        (date(2000, 6, 17), False),
        (date(2021, 6, 18), True),
    ]


def test_a_day_of_the_month_is_no_ordinal():
    [occasion] = occasions_extract("Happy birthday Paul, 12th June")

    assert occasion.ordinal is None
    assert occasion.day == date(2000, 6, 12)
    assert occasion.names == ("Paul",)


def test_a_dated_design_is_remembered_on_that_day_a_year_later():
    wedding = Occasion(kind=ANNIVERSARY, names=("Anna", "Tom"), day=date(2021, 6, 12), year_given=True)

    # made three weeks before the day: for this year's 12 June; reminded on next year's
    assert occasion_date(wedding, seen_on=date(2024, 5, 20)) == date(2024, 6, 12)
    assert reminder_date(wedding, seen_on=date(2024, 5, 20), today=date(2024, 5, 21)) == date(2025, 6, 12)
    # made a week after the day (a late gift): for that day; reminded the next year
    assert occasion_date(wedding, seen_on=date(2024, 6, 19)) == date(2024, 6, 12)
    # made in September: for next year's day; reminded the year after
    assert reminder_date(wedding, seen_on=date(2024, 9, 1), today=date(2024, 9, 2)) == date(2026, 6, 12)
    # years later, it comes back every year
    assert reminder_date(wedding, seen_on=date(2024, 5, 20), today=date(2027, 7, 1)) == date(2028, 6, 12)
    assert ordinal_on(wedding, seen_on=date(2024, 5, 20), on=date(2025, 6, 12)) == 4


def test_an_undated_birthday_comes_back_a_year_after_the_design():
    birthday = Occasion(kind=BIRTHDAY, names=("Paul",), ordinal=40)

    on = reminder_date(birthday, seen_on=date(2024, 3, 3), today=date(2024, 3, 4))

    assert on == date(2025, 3, 3)
    assert ordinal_on(birthday, seen_on=date(2024, 3, 3), on=on) == 41


def test_the_29th_of_february_comes_back_on_the_28th():
    leap = Occasion(kind=DATE, day=date(2024, 2, 29), year_given=True)

    assert reminder_date(leap, seen_on=date(2024, 2, 20), today=date(2024, 3, 1)) == date(2025, 2, 28)


def test_design_words_leave_out_common_words_and_count_once_per_text():
    counts = design_words(
        ["A lighthouse by the sea, the sea!", "Un phare et la mer pour Paul", "Sea gulls 2021"]
    )

    assert counts["sea"] == 2
    assert counts["lighthouse"] == counts["phare"] == counts["mer"] == 1
    assert "the" not in counts
    assert "pour" not in counts
    assert "2021" not in counts
