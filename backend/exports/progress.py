"""Progress of a running export, written to its row now and then (cheap single-row UPDATEs)."""

import time

from backend.exports.models import Export

_EVERY_ROWS = 5000
_EVERY_SECONDS = 2.0


class Progress:
    """Counts rows and records the percentage every few thousand rows or seconds."""

    def __init__(self, export_id: int, total: int) -> None:
        self.export_id = export_id
        self.total = max(total, 1)
        self.done = 0
        self._next = _EVERY_ROWS
        self._last = time.monotonic()

    def step(self, rows: int = 1) -> None:
        self.done += rows
        if self.done >= self._next:
            self._next = self.done + _EVERY_ROWS
            if time.monotonic() - self._last >= _EVERY_SECONDS or self.done >= self.total:
                self.save()

    def save(self) -> None:
        """Record the count; 100 % only when the file is stored, so cap at 99 here."""
        self._last = time.monotonic()
        percent = min(99, self.done * 100 // self.total)
        Export.objects.filter(pk=self.export_id).update(progress=percent, row_count=self.done)
