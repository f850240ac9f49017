"""Pages of a long list without counting all of it: the count stops at a cap."""

from functools import cached_property
from typing import TypeVar

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


class CappedPaginator(Paginator[M]):
    """A Paginator whose count stops at `cap` + 1 rows, and whose pages stop at the cap.

    Counting a million filtered rows on every page load costs more than the page itself; nobody
    pages 200 pages deep, they narrow the filters. `capped` says the list is longer than shown,
    so the page can say "more than" instead of a wrong number.
    """

    def __init__(self, object_list: QuerySet[M], per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # COUNT(*) over a LIMIT subquery: reads at most cap + 1 rows.
        return self.queryset[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
