"""kill -9 of the app's processes and of the task workers while phones upload and the workers
merge; the supervisor starts again what died, and every 201 must be stored intact and merged
exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from backend.ops.leftovers import leftover_folders
from ops.faults.forms import Filled
from ops.faults.report import Outcome, Window
from ops.faults.rig import Case, Rig, join

LOAD_SECONDS = 60
PHONES = 4
GAP = 0.5  # seconds between a phone's forms
# Every tenth visit carries a photo over FILE_UPLOAD_MAX_MEMORY_SIZE, which the app spools to a
# temporary file: both upload paths are killed mid-way.
SMALL, LARGE = (100_000, 30_000), (1_100_000,)
# Requests during an app process's death and restart may fail; none should answer 5xx, but
# the case allows it in this many seconds after each kill of an app process.
APP_KILL_WINDOW = 10.0


def run(rig: Rig) -> Outcome:
    case = rig.start("kills")
    load_until = case.started + LOAD_SECONDS
    phones = case.send(_visits(rig, load_until), phones=PHONES, until=load_until + 90, gap=GAP)
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
    """Every 2-4 s one kill: a granian worker or a task worker; once granian's main process
    (docker/serve.py's child, which serve.py starts again), once serve.py itself (the
    container's main process, which Docker's restart policy starts again)."""
    once = {7: "granian", 14: "app"}  # about 20 s and 40 s into the load
    number = 0
    while time.monotonic() + 4 < until:
        time.sleep(rig.rng.uniform(2, 4))
        number += 1
        target = once.get(number) or _target(rig)
        if target in {"app", "merge-worker", "evidence-worker"}:
            rig.topology.kill(target)
        else:
            main, workers = rig.topology.granian()
            rig.topology.kill_pid(main if target == "granian" else _one(rig, workers))
        if target in {"app", "granian", "app-worker"}:
            windows.append((time.monotonic() - 0.1, time.monotonic() + APP_KILL_WINDOW))
        case.faults.append(f"kill {target}")
        if target == "granian":
            time.sleep(2)
            case.notes += _strays(rig)


def _target(rig: Rig) -> str:
    return rig.rng.choices(["app-worker", "merge-worker", "evidence-worker"], [4, 3, 3])[0]


def _one(rig: Rig, pids: list[int]) -> int | None:
    return rig.rng.choice(pids) if pids else None


def _strays(rig: Rig) -> list[str]:
    strays = rig.topology.strays("app")
    if not strays:
        return []
    return [
        f"app processes outside docker/serve.py's tree: {len(strays)} (pids {strays}): granian "
        "workers whose main process was killed, still serving beside the new ones"
    ]


def _notes(rig: Rig, outcome: Outcome) -> list[str]:
    notes = []
    app_exits = [e for e in outcome.events if e.service == "app" and "itself" in e.what]
    if app_exits:
        notes.append(
            f"the app server (docker/serve.py) exited by itself {len(app_exits)} times; the "
            "suite started it again, as Docker's restart policy would"
        )
    notes += _strays(rig)
    leftovers = [p for folder in leftover_folders() if folder.is_dir() for p in folder.iterdir()]
    if leftovers:
        size = sum(p.stat().st_size for p in leftovers if p.is_file())
        notes.append(
            f"unfinished upload files left by killed processes: {len(leftovers)}, {size} B"
        )
    return notes
