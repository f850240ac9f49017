"""Pages of a long list without counting all of it: the count stops at a cap."""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap` + 1 rows, and whose pages stop at the cap.

    Counting a million filtered rows on every page load costs more than the page itself; nobody
    pages 200 pages deep, they narrow the filters. `capped` says the list is longer than shown,
    so the page can say "more than" instead of a wrong number.
    """

    def __init__(self, object_list: object, per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # COUNT(*) over a LIMIT subquery: reads at most cap + 1 rows.
        return self.object_list[: self.cap + 1].count()  # type: ignore[index]

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
