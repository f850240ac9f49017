"""Who sees and decides which cases: a township its villages', the county all, a village cadre
its village's village steps, a field worker the cases of the households they help (to read)."""

import pytest

from backend.casework.access import access_case_by_id, cases_for_actor, may_decide
from backend.casework.models import Decision, Kind, TriggerSource
from backend.casework.services import Trigger, case_open, case_step_decide, case_step_record
from backend.core.errors import NotFound, PermissionDenied
from backend.households.models import Category
from tests.casework.conftest import approve, attach, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    def opened(code, village, helper=None):
        home = household(world, code, village=village)
        if helper is not None:
            home.helper = helper
            home.save(update_fields=["helper"])
        return case_open(
            household=home,
            kind=Kind.INCLUSION,
            category=Category.MONITOR_MARGINAL,
            trigger=Trigger(TriggerSource.PERSON, actor=world.county),
        )

    return {
        "a": opened("AC-A", world.places.a1),
        "b": opened("AC-B", world.places.b1, helper=world.places.worker_b),
    }


def visible(world, actor):
    return set(
        cases_for_actor(actor=actor, project=world.project).values_list(
            "household__code", flat=True
        )
    )


def test_a_township_sees_only_the_cases_of_its_villages(world, cases):
    assert visible(world, world.places.supervisor_a) == {"AC-A"}
    assert visible(world, world.places.admin_b) == {"AC-B"}
    assert visible(world, world.cadre_a1) == {"AC-A"}
    with pytest.raises(NotFound):
        access_case_by_id(world.places.supervisor_a, world.project, cases["b"].pk)
    assert access_case_by_id(world.places.admin_b, world.project, str(cases["b"].pk)) == cases["b"]


def test_the_county_sees_every_case(world, cases):
    assert visible(world, world.county) == {"AC-A", "AC-B"}


def test_a_field_worker_sees_only_the_cases_of_the_households_they_help(world, cases):
    # worker_a is assigned village A1 but helps only AC-A there; worker_b helps AC-B.
    assert visible(world, world.places.worker_a) == {"AC-A"}
    assert visible(world, world.places.worker_b) == {"AC-B"}
    assert not may_decide(world.places.worker_a, cases["a"])
    with pytest.raises(PermissionDenied):
        case_step_record(case=cases["a"], actor=world.places.worker_a, values={"checked_on": ""})
    with pytest.raises(PermissionDenied):
        attach(cases["a"], world.places.worker_a, "consent")


def test_someone_outside_the_project_sees_nothing(world, cases, mallory):
    assert visible(world, mallory) == set()
    for key in (cases["a"].pk, "x", 2**70):
        with pytest.raises(NotFound):
            access_case_by_id(mallory, world.project, key)


def test_each_step_is_decided_at_its_own_level(world, cases, fixed_clock):
    case = cases["a"]
    for someone in (world.places.supervisor_a, world.county, world.cadre_b1):
        assert not may_decide(someone, case)
        with pytest.raises(PermissionDenied):
            case_step_decide(case=case, actor=someone, decision=Decision.REJECT, comment="x")
    while case.level != "township":
        case = approve(world, case, fixed_clock)
    assert may_decide(world.places.supervisor_a, case)
    assert not may_decide(world.cadre_a1, case)
    assert not may_decide(world.places.admin_b, case)
    case = approve(world, case)
    assert may_decide(world.county, case)
    assert not may_decide(world.places.supervisor_a, case)
