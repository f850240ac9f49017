"""Deadlines count Chinese working days: public holidays off, the weekend days worked in their
place on, and the admins' overrides for the years the library does not know yet."""

from datetime import date

import pytest

from backend.casework.deadlines import step_due, working_days_after
from backend.casework.kinds import VILLAGE_NOTICE
from backend.casework.models import DayOverride
from backend.casework.workdays import add_working_days, is_working_day


def test_the_national_day_week_is_off_and_its_saturday_worked():
    # Wednesday 30 September 2026, then eight days off; Saturday 10 October is worked.
    assert add_working_days(date(2026, 9, 30), 1, {}) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3, {}) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 4, {}) == date(2026, 10, 12)


def test_a_year_the_library_does_not_know_counts_monday_to_friday():
    assert is_working_day(date(2031, 1, 1), {}) is True  # a Wednesday
    assert is_working_day(date(2031, 1, 4), {}) is False  # a Saturday


def test_an_override_wins_over_the_library_and_the_weekend():
    overrides = {date(2031, 1, 1): False, date(2026, 10, 11): True}
    assert is_working_day(date(2031, 1, 1), overrides) is False
    assert is_working_day(date(2026, 10, 11), overrides) is True


def test_zero_working_days_is_the_start_itself():
    assert add_working_days(date(2026, 10, 3), 0, {}) == date(2026, 10, 3)


def test_a_deadline_beyond_any_step_is_a_mistake():
    with pytest.raises(ValueError, match="10000 working days"):
        add_working_days(date(2026, 1, 1), 10_000, {})


@pytest.mark.django_db
def test_the_admins_overrides_move_a_deadline():
    # Monday 28 December 2026 + 5 working days: New Year's Day 2027 is not in the library.
    assert working_days_after(date(2026, 12, 28), 5) == date(2027, 1, 4)
    DayOverride.objects.create(day=date(2027, 1, 1), working=False, note="元旦")
    assert working_days_after(date(2026, 12, 28), 5) == date(2027, 1, 5)


@pytest.mark.django_db
def test_a_notice_step_is_due_after_its_notice_ends():
    assert step_due(VILLAGE_NOTICE, date(2026, 12, 7), {}) == date(2026, 12, 10)
    record = {"notice_starts_on": "2026-12-07", "notice_ends_on": "2026-12-14"}
    assert step_due(VILLAGE_NOTICE, date(2026, 12, 7), record) == date(2026, 12, 17)
