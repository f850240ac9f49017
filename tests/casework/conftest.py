"""The casework's world: the county of tests/townships.py with a village cadre in each township,
households with a history of incomes, and a helper that fills in whatever a step needs."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from backend.accounts.models import User
from backend.casework.documents import case_document_add
from backend.casework.kinds import step_spec
from backend.casework.models import Case, Decision
from backend.casework.services import case_step_decide, case_step_record
from backend.households.models import Household
from backend.households.properties import apply_properties
from backend.households.services import household_register
from backend.projects.models import Project, Role
from tests.townships import Townships, member


@dataclass(frozen=True)
class World:
    project: Project
    places: Townships
    cadre_a1: User
    cadre_b1: User
    county: User

    def decider(self, case: Case) -> User:
        """Who decides the step the case waits at."""
        village = case.household.village_id
        if case.level == "village":
            return self.cadre_a1 if village == self.places.a1.pk else self.cadre_b1
        if case.level == "township":
            return self.places.supervisor_a if village == self.places.a1.pk else self.places.admin_b
        return self.county


@pytest.fixture
def world(project, alice, townships, fixed_clock) -> World:
    return World(
        project=project,
        places=townships,
        cadre_a1=member(project, "cadre_a1", Role.SUPERVISOR, townships.a1),
        cadre_b1=member(project, "cadre_b1", Role.SUPERVISOR, townships.b1),
        county=alice,
    )


def household(world: World, code: str, *, village=None, incomes=(9000,), **properties) -> Household:
    """A household registered with the first income, then visited once per further income."""
    village = village or world.places.a1
    registered = household_register(
        project=world.project,
        code=code,
        label=f"{code} 王*",
        village=village,
        helper=world.places.worker_a,
        properties={
            "head_name": "王五",
            "village": village.code,
            "hh_size": "3",
            "income_year": "2026",
            "income_pc": str(incomes[0]),
            **properties,
        },
    )
    for income in incomes[1:]:
        visit(registered, income_pc=str(income))
    registered.refresh_from_db()
    return registered


def visit(household: Household, **received: str) -> None:
    """A later version receiving these properties (the casework reads the versions' history)."""
    household.refresh_from_db()
    household.version += 1
    household.properties = {**household.properties, **received}
    apply_properties(household, received)
    household.save()
    household.versions.create(
        version=household.version,
        label=household.label,
        data=household.properties,
        received=received,
    )


def _record_for(code: str) -> dict[str, object]:
    today = timezone.localdate()
    records: dict[str, dict[str, object]] = {
        "checked_on": {"checked_on": today.isoformat()},
        "appraisal": {
            "appraised_on": today.isoformat(),
            "attendance": 31,
            "votes_for": 27,
            "votes_against": 1,
            "minutes": "村民代表大会评议",
        },
        "notice": {
            "notice_starts_on": today.isoformat(),
            "notice_ends_on": (today + timedelta(days=7)).isoformat(),
            "notice_place": "村委会公示栏",
        },
        "opinion": {"opinion": "同意"},
        "announced_on": {"announced_on": today.isoformat()},
    }
    names = {field.name for field in step_spec_fields(code)}
    filled: dict[str, object] = {}
    for record in records.values():
        filled.update({name: value for name, value in record.items() if name in names})
    return filled


def step_spec_fields(code: str):
    for kind in ("inclusion", "elimination", "category_change"):
        try:
            return step_spec(kind, code).fields
        except KeyError:
            continue
    raise KeyError(code)


def fill(world: World, case: Case) -> None:
    """Record everything the waiting step asks for: its fields, documents and signatures."""
    case.refresh_from_db()
    actor = world.decider(case)
    spec = step_spec(case.kind, case.step)
    case_step_record(case=case, actor=actor, values=_record_for(spec.code))
    for role in spec.documents:
        attach(case, actor, role)
    for signer in spec.signatories:
        attach(case, actor, "signature", signer_role=signer)


def attach(case: Case, actor: User, role: str, **signer: str) -> None:
    case_document_add(
        case=case,
        actor=actor,
        role=role,
        file=ContentFile(f"{case.pk} {role} {signer}".encode(), name="scan.jpg"),
        name="scan.jpg",
        content_type="image/jpeg",
        **signer,
    )


def approve(world: World, case: Case, clock: time_machine.Traveller | None = None) -> Case:
    """Fill in and approve the waiting step; past a notice, first wait until it has ended."""
    fill(world, case)
    case.refresh_from_db()
    spec = step_spec(case.kind, case.step)
    if spec.notice and clock is not None:
        clock.shift(timedelta(days=8))
    return case_step_decide(case=case, actor=world.decider(case), decision=Decision.APPROVE)


def walk(world: World, case: Case, clock: time_machine.Traveller) -> Case:
    """Approve every step of the case, in order."""
    while case.state == "open":
        case = approve(world, case, clock)
    return case
