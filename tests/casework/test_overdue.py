"""A case past its due date is overdue and is listed at the level above as well; lists put the
earliest due first, so the overdue lead. The clock stands on Monday 7 December 2026."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from backend.casework.models import Kind, TriggerSource
from backend.casework.selectors import cases_waiting_for
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import approve, household

pytestmark = pytest.mark.django_db


def opened(world, code, village=None):
    return case_open(
        household=household(world, code, village=village),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )


def waiting(world, actor):
    return list(cases_waiting_for(actor=actor, project=world.project, today=timezone.localdate()))


def escalated(world, actor):
    """(overdue, escalated) of each case listed for the actor."""
    listed = cases_waiting_for(actor=actor, project=world.project, today=timezone.localdate())
    return [(case.overdue, case.escalated) for case in listed]


def test_a_village_step_overdue_is_listed_for_the_township_too(world, fixed_clock):
    case = opened(world, "OD-1")
    assert case.due_on == date(2026, 12, 14)  # five working days
    fixed_clock.shift(timedelta(days=7))  # the 14th: due today, not late
    assert waiting(world, world.cadre_a1) == [case]
    assert waiting(world, world.places.supervisor_a) == []
    assert not case.is_overdue(timezone.localdate())

    fixed_clock.shift(timedelta(days=1))
    assert case.is_overdue(timezone.localdate())
    assert waiting(world, world.cadre_a1) == [case]
    assert waiting(world, world.places.supervisor_a) == [case]
    assert escalated(world, world.places.supervisor_a) == [(True, True)]
    assert escalated(world, world.cadre_a1) == [(True, False)]
    # Two levels up is not one: the county sees it in its area, not in its list.
    assert waiting(world, world.county) == []
    assert waiting(world, world.places.supervisor_b) == []


def test_a_township_step_overdue_is_listed_for_the_county(world, fixed_clock):
    case = opened(world, "OD-2")
    while case.level != "township":
        case = approve(world, case, fixed_clock)
    assert case.due_on == date(2026, 12, 22)
    fixed_clock.shift(timedelta(days=16))
    assert waiting(world, world.county) == [case]
    assert waiting(world, world.places.supervisor_a) == [case]


def test_the_overdue_come_first(world, fixed_clock):
    late = opened(world, "OD-3")
    fixed_clock.shift(timedelta(days=3))
    fresh = opened(world, "OD-4")
    fixed_clock.shift(timedelta(days=5))
    assert late.is_overdue(timezone.localdate())
    assert not fresh.is_overdue(timezone.localdate())
    assert waiting(world, world.cadre_a1) == [late, fresh]


def test_each_township_lists_only_its_villages_overdue_cases(world, fixed_clock):
    mine = opened(world, "OD-5")
    theirs = opened(world, "OD-6", village=world.places.b1)
    fixed_clock.shift(timedelta(days=30))
    assert waiting(world, world.places.supervisor_a) == [mine]
    assert waiting(world, world.places.admin_b) == [theirs]
    assert waiting(world, world.cadre_b1) == [theirs]
