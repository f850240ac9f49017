"""A statistics table as the documents lay it out: the title with the year, a two-row header
(a group over its columns), the villages with their townships' subtotals, the total."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from backend.statistics.report import TOTAL, TOWNSHIP, Report

_BOLD = Font(bold=True)
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.create_sheet(index=0)
    book.remove(book.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.title = report.table.key[:31]
    width = 2 + len(report.table.columns)
    sheet.append([_("%(title)s, %(year)s") % {"title": report.table.title, "year": report.year}])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    _header(sheet, report)
    for row in report.rows:
        values = [row.values.get(column.key) for column in report.table.columns]
        sheet.append([row.code, row.name, *values])
        cells = sheet[sheet.max_row]
        for cell in cells[:2]:
            cell.data_type = "s"  # an area's name that starts with `=` is text, not a formula
        if row.level in (TOWNSHIP, TOTAL):
            for cell in cells:
                cell.font = _BOLD
    for index in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12 if index > 2 else 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Any, report: Report) -> None:
    """Two rows: group headings merged over their columns, then the columns' own labels."""
    columns = report.table.columns
    groups = [str(column.group) for column in columns]
    sheet.append([_("Code"), _("Area"), *groups])
    sheet.append(["", "", *(str(column.label) for column in columns)])
    for first in (1, 2):  # code and area span both rows
        sheet.merge_cells(start_row=2, start_column=first, end_row=3, end_column=first)
    start = 0
    while start < len(columns):
        end = start
        while end + 1 < len(columns) and groups[end + 1] == groups[start]:
            end += 1
        if not groups[start]:  # no group: the label spans both rows
            sheet.cell(row=2, column=3 + start, value=str(columns[start].label))
            sheet.merge_cells(start_row=2, start_column=3 + start, end_row=3, end_column=3 + start)
        elif end > start:
            sheet.merge_cells(start_row=2, start_column=3 + start, end_row=2, end_column=3 + end)
        start = end + 1
    for row in sheet.iter_rows(min_row=2, max_row=3):
        for cell in row:
            cell.font, cell.alignment = _BOLD, _CENTRED
