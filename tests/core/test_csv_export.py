"""The CSV writer: text that a spreadsheet would run as a formula is written as text, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from apps.core.csv_export import csv_cell, csv_text


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","y")',
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1",
        "\tplain",
        "\rplain",
        "  =1+1",
        "\n-1",
        "-12.50",  # text that looks like a number is still text a user typed
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Ada Lovelace", "ada@example.com", "a=b", "1-2", "", "LU-000123"])
def test_ordinary_text_is_written_as_it_is(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize("number", [Decimal("-12.50"), -3, -0.5, Decimal("12.50"), None])
def test_numbers_the_code_writes_stay_numbers(number):
    assert csv_cell(number) is number


def test_a_whole_file_reads_back_with_its_numbers_and_neutralised_text():
    text = csv_text([["name", "refund"], ["=cmd|' /C calc'!A0", Decimal("-12.50")], ["Bob", None]])

    rows = list(csv.reader(io.StringIO(text)))

    assert rows == [["name", "refund"], ["'=cmd|' /C calc'!A0", "-12.50"], ["Bob", ""]]
