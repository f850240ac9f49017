"""Concurrent bursts of one instanceID: many phones' copies of one visit with photos POSTed at
the same moment, again while its merge and photo checks run. Exactly one submission stored,
intact and merged once; every copy answered 201, none 5xx."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from ops.faults.forms import Filled, deliver
from ops.faults.report import Outcome
from ops.faults.rig import Case, Rig

ROUNDS = 4
COPIES = 30
BURSTS = 3  # per round
BURST_GAP = 0.4  # seconds: the later bursts land while the first one's tasks run
SIZES = (300_000, 300_000)


def run(rig: Rig) -> Outcome:
    case = rig.start("burst")
    for round_number, form in enumerate(rig.visits(ROUNDS, lambda i: SIZES)):
        # Odd rounds: the visit is stored first, so the bursts meet its merge and photo checks;
        # even rounds: the first burst races to create it.
        if round_number % 2:
            case.forms.append(deliver(rig.phone(), form, until=time.monotonic() + 60))
        for _ in range(BURSTS):
            _burst(rig, case, form)
            time.sleep(BURST_GAP)
        case.faults.append(f"{BURSTS} bursts of {COPIES} copies")
    outcome = case.count()
    outcome.failures += _not_all_201(case.forms)
    return outcome


def _burst(rig: Rig, case: Case, form: Filled) -> None:
    """COPIES phones send their copy of the form at once (each answered its Digest challenge
    first, so the POSTs leave together)."""
    copies = [replace(form, answers=[]) for _ in range(COPIES)]
    case.forms.extend(copies)
    ready = threading.Barrier(COPIES)

    def send(copy: Filled) -> None:
        phone = rig.phone()
        phone.send("HEAD", "submission")
        ready.wait()
        deliver(phone, copy, until=time.monotonic() + 60, head=False)
        phone.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _not_all_201(forms: list[Filled]) -> list[str]:
    other = [a.status for f in forms for a in f.answers if a.method == "POST" and a.status != 201]
    return [f"{len(other)} answers other than 201: {sorted(set(other))}"] if other else []
