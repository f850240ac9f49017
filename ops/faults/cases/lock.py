"""A locked table: submissions_submission held ACCESS EXCLUSIVE for a while as submissions
arrive. /health and the form list must keep answering, submissions must be answered (a 5xx
the phone sends again) rather than hang, and after the release every retry succeeds."""

from __future__ import annotations

import os
import threading
import time

from ops.faults.database import hold_lock
from ops.faults.phone import Answer
from ops.faults.report import Outcome
from ops.faults.rig import Case, Rig, join

LOCK_SECONDS = 30
# More phones than the app has threads (APP_WORKERS 2 x APP_THREADS 4): if submissions wait
# on the lock instead of giving up, they hold every thread.
PHONES = 12
VISITS = 48
# How long an answer may take while the table is locked: well under the lock's 30 s, which a
# request that waits for the lock takes. Within the app's lock time limit (5 s), a request may
# first wait for a thread (or two in turn) that other requests hold on the lock.
PROBE_LIMIT = float(os.environ.get("FAULTS_PROBE_SECONDS", "10"))
ANSWER_LIMIT = float(os.environ.get("FAULTS_LOCK_ANSWER_SECONDS", "18"))


def run(rig: Rig) -> Outcome:
    case = rig.start("lock")
    taken, released = threading.Event(), threading.Event()
    locker = threading.Thread(target=_lock, args=(taken, released))
    locker.start()
    taken.wait()
    lock_from = time.monotonic()
    case.faults.append(f"submissions_submission locked for {LOCK_SECONDS} s")
    phones = case.send(
        rig.visits(VISITS, lambda i: (40_000,)), phones=PHONES, until=lock_from + 120, pause=0.5
    )
    prober = threading.Thread(target=_probe, args=(rig, case, released))
    prober.start()
    join([locker, prober])
    lock_to = time.monotonic()
    join(phones)
    outcome = case.count()
    outcome.windows = [(lock_from, lock_to + 2)]
    outcome.failures += _slow(case.probes, PROBE_LIMIT, "/health or formList")
    during = [a for f in case.forms for a in f.answers if a.started < lock_to]
    outcome.failures += _slow(during, ANSWER_LIMIT, "submissions")
    return outcome


def _lock(taken: threading.Event, released: threading.Event) -> None:
    try:
        hold_lock("submissions_submission", LOCK_SECONDS, taken)
    finally:
        taken.set()
        released.set()


def _probe(rig: Rig, case: Case, released: threading.Event) -> None:
    """Ask for /health and the form list every second while the table is locked."""
    health, collect = rig.phone(timeout=60), rig.phone(timeout=60)
    while not released.wait(1.0):
        case.probes += [health.send("GET", "/health"), collect.send("GET", "formList")]


def _slow(answers: list[Answer], limit: float, what: str) -> list[str]:
    late = [a for a in answers if a.status == 0 or a.seconds > limit]
    if not late:
        return []
    worst = max(a.seconds for a in late)
    return [f"{len(late)} {what} unanswered or slower than {limit:.0f} s (up to {worst:.1f} s)"]
