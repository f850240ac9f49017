"""Writers that stream tables to a temporary file: CSV files in a zip, or an XLSX workbook.

Both take rows one at a time and keep nothing but a small buffer in memory; the finished file
is on local disk until the task copies it to storage.
"""

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, TextIO

from backend.exports.formulas import SafeCsvWriter
from backend.exports.xlsx import ALERT, Sheet, Workbook

# Excel opens a UTF-8 CSV as the local code page unless it starts with a byte-order mark.
CSV_ENCODING = "utf-8-sig"
# Fast compression: exports are mostly text and level 1 keeps the export CPU-bound on rows.
ZIP_LEVEL = 1
XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
_SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


class TableWriter(Protocol):
    def add_table(self, name: str, headers: Sequence[str]) -> int: ...

    def write(self, table: int, row: Sequence[Any]) -> None: ...

    def close(self) -> None: ...


class CsvZipWriter:
    """One CSV per table, each spooled to its own temporary file, zipped (zip64) at close.

    A zip takes one member at a time, while a submission's rows go to several tables at once,
    hence the spooling.
    """

    def __init__(self, output: IO[bytes]) -> None:
        self.output = output
        self._files: list[tuple[str, TextIO]] = []
        self._writers: list[Any] = []
        self._parts: list[list[IO[bytes]]] = []

    def add_table(self, name: str, headers: Sequence[str]) -> int:
        spool = tempfile.TemporaryFile("w+", encoding=CSV_ENCODING, newline="")  # noqa: SIM115
        writer = SafeCsvWriter(spool)
        writer.writerow(headers)
        self._files.append((_unique_name(f"{name}.csv", [n for n, _ in self._files]), spool))
        self._writers.append(writer)
        self._parts.append([])
        return len(self._writers) - 1

    def write(self, table: int, row: Sequence[Any]) -> None:
        self._writers[table].writerow(row)

    def part(self, table: int) -> IO[bytes]:
        """A new spool for rows of the table that come already written as CSV (UTF-8), joined
        after the table's own rows and the parts made before it, in that order."""
        spool = tempfile.TemporaryFile("w+b")  # noqa: SIM115
        self._parts[table].append(spool)
        return spool

    def close(self) -> None:
        with zipfile.ZipFile(
            self.output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL
        ) as archive:
            for (name, spool), parts in zip(self._files, self._parts, strict=True):
                spool.flush()
                with archive.open(name, "w", force_zip64=True) as member:
                    for source in (spool.buffer, *parts):
                        source.seek(0)
                        shutil.copyfileobj(source, member, 1024 * 1024)
                spool.close()
                for part in parts:
                    part.close()


@dataclass
class _Table:
    sheet: Sheet
    name: str
    headers: list[str]
    part: int = 1


class XlsxWriter:
    """One sheet per table, streamed to disk as it is written (backend.exports.xlsx)."""

    def __init__(self, path: Path) -> None:
        self._output = path.open("wb")
        self.workbook = Workbook(self._output)
        self._tables: list[_Table] = []
        self._names: list[str] = []

    def add_table(self, name: str, headers: Sequence[str]) -> int:
        self._tables.append(_Table(self._add_sheet(name, headers), name, list(headers)))
        return len(self._tables) - 1

    def write(self, table: int, row: Sequence[Any], *, alert: bool = False) -> None:
        """Add a row to the table; with `alert`, in red (an item past its deadline)."""
        entry = self._tables[table]
        if entry.sheet.rows >= XLSX_MAX_ROWS:
            # Excel stops at about a million rows a sheet: go on in a continuation sheet.
            entry.part += 1
            entry.sheet = self._add_sheet(f"{entry.name} ({entry.part})", entry.headers)
        entry.sheet.append(row, style=ALERT if alert else "")

    def close(self) -> None:
        self.workbook.close()
        self._output.close()

    def _add_sheet(self, name: str, headers: Sequence[str]) -> Sheet:
        title = _unique_name(_sheet_name(name), self._names, limit=_SHEET_NAME_MAX)
        self._names.append(title)
        return self.workbook.add_sheet(title, headers)


def _sheet_name(name: str) -> str:
    return name.translate(_SHEET_FORBIDDEN).strip("'")[:_SHEET_NAME_MAX] or "sheet"


def _unique_name(name: str, taken: list[str], limit: int = 255) -> str:
    """Two repeats may share a name in different groups: number the later one."""
    lowered = {t.lower() for t in taken}
    candidate, number = name, 1
    while candidate.lower() in lowered:
        number += 1
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        suffix = f"_{number}"
        candidate = f"{stem[: limit - len(suffix) - len(dot + ext)]}{suffix}{dot}{ext}"
    return candidate
