"""The statistics tables' JSON shapes (backend/statistics/api.py)."""

from typing import Any

from ninja import Schema


class ColumnOut(Schema):
    key: str
    label: str
    # The heading over a group of columns ("" when none), as the documents' two-row headers.
    group: str
    # "count", or "percent" computed from two counts of the row.
    kind: str


class TableOut(Schema):
    key: str
    title: str
    seed: str
    quote: str
    # Counts only the incomes of the selected year.
    incomes_of_year: bool
    columns: list[ColumnOut]


class RowOut(Schema):
    # "village", "township" (the subtotal after its villages) or "total".
    level: str
    code: str
    name: str
    values: dict[str, Any]


class ReportOut(Schema):
    table: TableOut
    year: int
    rows: list[RowOut]
