"""What a statistics table is: its columns and where its numbers come from (docs/statistics.md).

A table's numbers are counted per village by one grouped query (queries.py); the townships'
and the county's rows add the villages' up, and a ratio is computed again from the sums, never
averaged. The page, the workbook and the API read the same rows (report.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from backend.casework.models import Case
from backend.households.models import Household

# Per village: its id, then each column's number.
VillageRows = dict[int, dict[str, Any]]


@dataclass(frozen=True)
class Source:
    """What one table reads: the reader's households and cases, and the year asked for."""

    households: QuerySet[Household]
    cases: QuerySet[Case]
    year: int
    populations: dict[int, int] = field(default_factory=dict)  # village id -> population


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    # "count" (households, people, children), or "percent", computed from two counts:
    # `ratio` = (numerator key, denominator key).
    kind: str = "count"
    ratio: tuple[str, str] | None = None
    # A group heading over several columns (the documents' two-row headers), or "".
    group: object = ""  # shown with str(): a lazy translation, or a heading built of several


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Promise
    seed: str
    quote: str
    columns: tuple[Column, ...]
    count: Callable[[Source], VillageRows]
    # Whether the table counts only the incomes of the selected year.
    incomes_of_year: bool = False
