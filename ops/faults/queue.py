"""The task queue after a case: wait until the merges and evidence checks have run, within a
deadline, and say what is still waiting or running (a task whose worker was killed stays
"running" until something gives it back)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connections
from django_tasks_db.models import DBTaskResult

_READY, _RUNNING, _FAILED = "READY", "RUNNING", "FAILED"


@dataclass(frozen=True)
class Settled:
    seconds: float
    ready: int
    running: int
    failed: int  # tasks of the case that ended with an exception
    stuck: list[str] = field(default_factory=list)  # one line per task still waiting or running

    @property
    def drained(self) -> bool:
        return self.ready == 0 and self.running == 0


def settle(*, since: datetime, deadline: float) -> Settled:
    """Poll until no task queued since `since` is ready or running, or `deadline` seconds have
    passed. Older tasks are another case's (a task stuck there must not hold up this one)."""
    started = time.monotonic()
    while True:
        pending = DBTaskResult.objects.filter(status__in=[_READY, _RUNNING], enqueued_at__gte=since)
        counts = {s: pending.filter(status=s).count() for s in (_READY, _RUNNING)}
        waited = time.monotonic() - started
        if not any(counts.values()) or waited > deadline:
            break
        time.sleep(0.5)
    failed = DBTaskResult.objects.filter(status=_FAILED, enqueued_at__gte=since).count()
    stuck = [
        f"{t.status} {t.task_path.rsplit('.', 1)[-1]}{tuple(t.args_kwargs['args'])} "
        f"claimed by {t.worker_ids or '-'} since {t.started_at or t.enqueued_at:%H:%M:%S}"
        for t in pending.order_by("enqueued_at")[:8]
    ]
    return Settled(waited, counts[_READY], counts[_RUNNING], failed, stuck)


def forget_connections() -> None:
    """Close the suite's own database connections before a fault that would break them."""
    connections.close_all()
