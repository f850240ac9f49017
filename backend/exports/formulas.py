"""CSV cells that a spreadsheet would run as a formula are written as text.

Excel, LibreOffice and WPS read a CSV cell starting with `=`, `+`, `-` or `@` (or a tab, carriage
return or line feed before one) as a formula, and a formula can run commands (`=cmd|' /C calc'!A0`)
or send the sheet elsewhere. Answers and labels come from phones, so such a cell gets a leading
apostrophe, as OWASP advises ("CSV Injection"): spreadsheets show the text, and `'` is easy to
strip for a script. A cell that is a plain number (`-3.5`, `+86`) stays as it is: it is no
formula, and income or coordinates must stay numbers. PostgreSQL's COPY applies the same rule in
SQL (backend.exports.copy_sql), so both writers give the same bytes.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

from backend.exports.tables import NUMBER

FORMULA_STARTS = frozenset("=+-@\t\r\n")
# For PostgreSQL, whose `$` (unlike Python's) matches only at the very end.
PLAIN_NUMBER = f"^(?:{NUMBER})$"
_PLAIN_NUMBER = re.compile(NUMBER)


def csv_row(row: Sequence[Any]) -> list[Any]:
    """The row with every text cell that would be read as a formula prefixed with `'`."""
    # One comprehension, no call per cell: this runs for every cell of a large export.
    return [
        "'" + value
        if type(value) is str and value[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value)
        else value
        for value in row
    ]


class SafeCsvWriter:
    """csv.writer whose cells never start a formula (see the module's docstring)."""

    def __init__(self, output: IO[str], **options: Any) -> None:
        self._writer = csv.writer(output, **options)

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(csv_row(row) for row in rows)
