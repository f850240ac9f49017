"""The rows of a department's file, one at a time (CSV in UTF-8 or GB18030, or XLSX): memory
stays flat whatever the file's size."""

import codecs
import csv
import io
from collections.abc import Collection, Iterator
from typing import BinaryIO

from openpyxl import load_workbook

Row = dict[str, str]
_XLSX_MAGIC = b"PK\x03\x04"
_SNIFF = 64 * 1024


class UnreadableFile(ValueError):
    """Not a CSV or XLSX file this reader can read."""


def file_rows(
    stream: BinaryIO, columns: Collection[str] | None = None
) -> Iterator[tuple[int, Row]]:
    """(row number as a spreadsheet shows it, {column title: text}) for each row under the
    header that is not blank; the header is the first row. With `columns`, a row holds only
    those of its columns (a department's file has many more than the template reads)."""
    head = stream.read(_SNIFF)
    stream.seek(0)
    if head.startswith(_XLSX_MAGIC):
        return _xlsx_rows(stream, columns)
    return _csv_rows(stream, _encoding(head), columns)


def _wanted(header: list[str], columns: Collection[str] | None) -> list[tuple[int, str]]:
    """(position, title) of the columns a row keeps."""
    return [(i, title) for i, title in enumerate(header) if columns is None or title in columns]


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without its mark), else GB18030 (what Excel in Chinese saves)."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(
    stream: BinaryIO, encoding: str, columns: Collection[str] | None
) -> Iterator[tuple[int, Row]]:
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text)
    header = [title.strip() for title in next(reader, [])]
    if not header:
        raise UnreadableFile("empty file")
    wanted = _wanted(header, columns)
    for number, values in enumerate(reader, start=2):
        # One join rather than a strip per cell: a million rows pass here.
        if not "".join(values).strip():
            continue
        count = len(values)
        yield number, {title: values[i].strip() for i, title in wanted if i < count}


def _xlsx_rows(stream: BinaryIO, columns: Collection[str] | None) -> Iterator[tuple[int, Row]]:
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(str(exc)) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        wanted = _wanted(header, columns)
        for number, cells in enumerate(rows, start=2):
            values = [_text(cell) for cell in cells]
            if any(values):
                count = len(values)
                yield number, {title: values[i] for i, title in wanted if i < count}
    finally:
        book.close()


def _text(cell: object) -> str:
    """A cell as text: whole numbers without ".0" (an ID number typed as a number)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
