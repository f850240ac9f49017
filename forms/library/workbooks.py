"""The library forms as Excel workbooks: the file a county office opens, edits and publishes.

The Markdown file is the one source (reviewable in a diff); each workbook next to it is generated
from it (`manage.py library_workbooks`), and a test checks that the two convert to the same XForm.
"""

import unicodedata
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from forms.library import library_paths
from forms.xlsform import convert_xlsform, markdown_workbook

# Columns wide enough for a label to be read, not so wide that a long XPath hides the sheet.
_MAX_WIDTH = 50
_MIN_WIDTH = 8


def workbook_path(source: Path) -> Path:
    """Where the workbook of a Markdown form lives: next to it, same name, .xlsx."""
    return source.with_suffix(".xlsx")


def library_workbook(source: Path) -> bytes:
    """The workbook of one Markdown form: its sheets, with a bold, frozen header row and column
    widths that fit the text (an office edits it in Excel or WPS)."""
    book = load_workbook(BytesIO(markdown_workbook(source.read_text(encoding="utf-8"))))
    for sheet in book.worksheets:
        _dress(sheet)
    book.properties.title = source.stem
    book.properties.creator = f"forms/library/{source.name}"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_library_workbooks(*, force: bool = False) -> list[Path]:
    """Write the workbooks that are missing or out of date (every one with `force`) next to
    their Markdown source; the paths written. A current workbook is left as it is: a workbook
    holds its save time, so rewriting it would change the file in git for nothing."""
    stale = set(stale_workbooks())
    written = []
    for source in library_paths():
        target = workbook_path(source)
        if force or target in stale:
            target.write_bytes(library_workbook(source))
            written.append(target)
    return written


def stale_workbooks() -> list[Path]:
    """The library workbooks that are missing or do not convert to the XForm of their source."""
    stale = []
    for source in library_paths():
        target = workbook_path(source)
        if not target.exists() or _xform(target) != _xform(source):
            stale.append(target)
    return stale


def _xform(path: Path) -> str:
    return convert_xlsform(path.read_bytes(), filename=path.name).xform


def _dress(sheet: Worksheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    # The columns start at A (openpyxl's iter_cols begins at 1).
    for index, column in enumerate(sheet.columns, start=1):
        texts = [str(cell.value) for cell in column if cell.value is not None]
        width = max(map(_display_width, texts), default=0)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        for cell in column[1:]:
            cell.alignment = Alignment(vertical="top", wrap_text=width > _MAX_WIDTH)


def _display_width(text: str) -> int:
    # A Chinese character takes two columns of a Latin one in Excel's default fonts.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
