"""Where an XLSForm message points: pyxform's `[row : N] On the 'sheet' sheet, ...` (pure)."""

import re
from dataclasses import dataclass

_ROW = re.compile(r"^\s*\[row\s*:\s*(?P<row>\d+)\]\s*(?P<rest>.*)$", re.DOTALL)
_SHEET = re.compile(r"^On the '(?P<sheet>[^']+)' sheet,\s*(?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    sheet: str  # empty when the message names none
    row: int | None  # spreadsheet row, the header being row 1
    message: str


def parse_problem(text: str) -> Problem:
    """Split a pyxform error or warning into its sheet, row and the message itself."""
    text = text.strip()
    row: int | None = None
    match = _ROW.match(text)
    if match:
        row, text = int(match.group("row")), match.group("rest").strip()
    sheet_match = _SHEET.match(text)
    sheet = ""
    if sheet_match:
        sheet, text = sheet_match.group("sheet"), sheet_match.group("rest").strip()
        text = text[:1].upper() + text[1:]
    return Problem(sheet=sheet, row=row, message=text)


def parse_problems(texts: list[str]) -> list[Problem]:
    """Each message parsed, in the order given."""
    return [parse_problem(text) for text in texts if text.strip()]
