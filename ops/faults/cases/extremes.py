"""Extreme values for every question of the library forms (ops/faults/extremes.py): each
filled form must get a clear 4xx, or a 201 after which it is stored intact and then merged,
flagged, or refused by the registry with its reason recorded; never a 5xx, never a 201
followed by a silent failure."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

from forms.models import Form
from ops.faults.extremes import Instances, extreme_answers
from ops.faults.forms import Filled
from ops.faults.report import Outcome
from ops.faults.rig import Rig, join

LIBRARY = ("hh_registration", "hh_visit", "housing_inspection")
PHONES = 4
PATIENCE = 15.0  # seconds a phone keeps sending one form that got no 201 nor 4xx


def run(rig: Rig) -> Outcome:
    case = rig.start("extremes")
    kinds: dict[int, str] = {}
    forms = list(_forms(rig, kinds))
    phones = case.send(
        forms, phones=PHONES, until=case.started + 600, pause=0.5, head=False, patience=PATIENCE
    )
    join(phones)
    # The evidence checks of a thousand visits take a few minutes on two cores; a check that
    # fails on an extreme value is a failure too, so the case waits for all of them.
    outcome = case.count(patience=3)
    outcome.notes.append(_by_kind(forms, kinds))
    refused = sorted({f.label.split("=", 1)[-1] for f in forms if f.refused})
    outcome.notes.append(f"answered 4xx for {len(refused)} values: {', '.join(refused)}")
    return outcome


def _forms(rig: Rig, kinds: dict[int, str]) -> Iterator[Filled]:
    households = itertools.cycle(rig.households())
    for form_id in LIBRARY:
        version = Form.objects.get(project__slug=rig.login.project, xml_form_id=form_id)
        version = version.current_version
        assert version is not None, f"{form_id} is not published"
        instances = Instances(version, rig.photos)
        creates = any(d.get("create") for d in version.entities.get("declarations", []))
        for question, value in extreme_answers(version):
            household = None if creates else next(households)
            form = instances.filled(question, value, household=household)
            kinds[id(form)] = question.kind
            yield form


def _by_kind(forms: list[Filled], kinds: dict[int, str]) -> str:
    """201 and 4xx per question type, e.g. `int 201/4xx 120/12`."""
    accepted: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for form in forms:
        kind = kinds[id(form)]
        accepted[kind] += form.accepted
        refused[kind] += form.refused
    return "per type (201/4xx): " + ", ".join(
        f"{k} {accepted[k]}/{refused[k]}" for k in sorted(set(kinds.values()))
    )
