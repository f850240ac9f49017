"""kill -9 of the app's processes and of the task workers while phones upload and the workers
merge; the supervisor starts again what died, and every 201 must be stored intact and merged
exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ops.faults.forms import Filled
from ops.faults.report import Outcome, Window
from ops.faults.rig import Case, Rig, join

LOAD_SECONDS = 60
PHONES = 6
# Every tenth visit carries a photo over FILE_UPLOAD_MAX_MEMORY_SIZE, which the app spools to a
# temporary file: both upload paths are killed mid-way.
SMALL, LARGE = (100_000, 30_000), (1_100_000,)
# Requests during an app process's death and restart may fail; none should answer 5xx, but
# the case allows it in this many seconds after each kill of an app process.
APP_KILL_WINDOW = 10.0


def run(rig: Rig) -> Outcome:
    case = rig.start("kills")
    load_until = case.started + LOAD_SECONDS
    phones = case.send(_visits(rig, load_until), phones=PHONES, until=load_until + 90)
    windows: list[Window] = []
    killer = threading.Thread(target=_kill_until, args=(rig, case, load_until, windows))
    killer.start()
    join([killer, *phones])
    outcome = case.count()
    outcome.windows = windows
    outcome.notes += _notes(rig, outcome)
    return outcome


def _visits(rig: Rig, until: float) -> Iterator[Filled]:
    for form in rig.visits(10_000, lambda i: LARGE if i % 10 == 0 else SMALL):
        if time.monotonic() >= until:
            return
        yield form


def _kill_until(rig: Rig, case: Case, until: float, windows: list[Window]) -> None:
    """Every 2-4 s one kill: an app worker, a task worker, or (twice) the app's main process."""
    main_kills = {7, 14}  # the 7th and 14th kill: about 20 s and 40 s into the load
    number = 0
    while time.monotonic() + 4 < until:
        time.sleep(rig.rng.uniform(2, 4))
        number += 1
        target = "app" if number in main_kills else _target(rig)
        if target == "app-worker":
            rig.topology.kill_app_worker(rig.rng)
        else:
            rig.topology.kill(target)
        if target.startswith("app"):
            windows.append((time.monotonic() - 0.1, time.monotonic() + APP_KILL_WINDOW))
        case.faults.append(f"kill {target}")


def _target(rig: Rig) -> str:
    return rig.rng.choices(["app-worker", "merge-worker", "evidence-worker"], [4, 3, 3])[0]


def _notes(rig: Rig, outcome: Outcome) -> list[str]:
    app_exits = [e for e in outcome.events if e.service == "app" and "itself" in e.what]
    notes = []
    if app_exits:
        notes.append(
            f"the app server (granian's main process) exited by itself {len(app_exits)} times "
            "after its workers were killed; the suite started it again, as Docker's restart "
            "policy would"
        )
    leftovers = list(Path(rig.work, "uploads").iterdir())
    if leftovers:
        size = sum(p.stat().st_size for p in leftovers if p.is_file())
        notes.append(
            f"temporary upload files left by killed app workers: {len(leftovers)}, {size} B"
        )
    return notes
