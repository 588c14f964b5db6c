"""The one way the product writes CSV: text from users never becomes a spreadsheet formula.

Spreadsheets run a cell as a formula when it starts with `=`, `+`, `-` or `@` (also after leading
spaces), and some when it starts with a tab or a carriage return (OWASP, "CSV injection"). Such a
text cell is written with a leading `'`, which spreadsheets show as text. Only `str` cells are
touched: numbers the code passes as numbers (`Decimal("-12.50")`, an int) stay numbers, so code
must not format its numbers into strings before writing them.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")


def csv_cell(value):
    """`value`, with a `'` in front if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and (
        value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The rows (the header first) as CSV lines, one at a time; None is written as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(rows: Iterable[Sequence]) -> str:
    """The rows (the header first) as one CSV text."""
    return "".join(csv_lines(rows))


def csv_download(rows: Iterable[Sequence], filename: str) -> StreamingHttpResponse:
    """The rows as a CSV attachment, streamed: a list of any length is never held in memory."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
