"""Database connections terminated mid-load (pg_terminate_backend of every connection, a few
times during a burst): 5xx only then, the phones' retries succeed afterwards, the task workers
keep running, and everything is merged."""

from __future__ import annotations

import time

from ops.faults.database import terminate_others
from ops.faults.queue import forget_connections
from ops.faults.report import Outcome
from ops.faults.rig import Rig, join

PHONES = 6
VISITS = 60
TERMINATIONS = 4
GAP = 2.5  # seconds between terminations
GRACE = 2.0  # a request that was on a terminated connection may answer a moment later
_WORKERS = ("merge-worker", "evidence-worker", "periodic")


def run(rig: Rig) -> Outcome:
    case = rig.start("connections")
    phones = case.send(
        rig.visits(VISITS, lambda i: (80_000,)), phones=PHONES, until=case.started + 120, pause=0.5
    )
    forget_connections()
    time.sleep(2)
    window_from = time.monotonic()
    for _ in range(TERMINATIONS):
        case.faults.append(f"terminated {terminate_others()} connections")
        time.sleep(GAP)
    window_to = time.monotonic()
    join(phones)
    outcome = case.count()
    outcome.windows = [(window_from, window_to + GRACE)]
    exits = [e for e in outcome.events if e.service in _WORKERS and "killed" not in e.what]
    if exits:
        outcome.failures.append(
            "processes that must outlive a lost connection exited: "
            + ", ".join(f"{e.service} ({e.what})" for e in exits)
        )
    return outcome
