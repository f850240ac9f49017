"""No fault: field workers register households (hh_registration), which the later cases visit.
Every registration must be stored and create its household once; no 5xx at all."""

from __future__ import annotations

from ops.faults.forms import registration
from ops.faults.report import Outcome
from ops.faults.rig import Rig, join

HOUSEHOLDS = 24
PHONES = 4


def run(rig: Rig) -> Outcome:
    case = rig.start("registrations")
    forms = (registration(i, rig.rng) for i in range(HOUSEHOLDS))
    join(case.send(forms, phones=PHONES, until=case.started + 120))
    return case.count()
