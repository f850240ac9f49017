"""Monitoring rules open flags when a condition holds and close them when a visit shows it gone."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.flags.models import Flag, FlagState
from backend.flags.services import flag_clear
from backend.households.models import Household
from backend.monitoring.engine import household_rules_apply
from tests.households.entity_forms import register_xml, send, visit_xml
from tests.households.registry import open_codes, register


def test_each_rule_opens_its_flag_with_evidence(project, village):
    # Registering evaluates the rules: an imported household is judged before anyone visits.
    household = register(
        project,
        village,
        income_pc="4200",
        income_year="2025",
        house_grade="D",
        edu_status="problem",
        med_status="problem",
        water_status="problem",
        food_clothing_status="problem",
    )

    assert open_codes(household) == {
        "income_below_line",
        "house_unsafe",
        "school_dropout",
        "medical_care",
        "drinking_water",
        "food_clothing",
    }
    assert household_rules_apply(household=household) == ([], [])
    income = household.flags.get(code="income_below_line")
    assert income.evidence == {
        "income_per_capita": "4200",
        "income_year": "2025",
        "line": "6000",
    }
    assert income.severity == "serious"


def test_a_household_without_problems_gets_no_flags(project, village):
    household = register(project, village, income_pc="9000", house_grade="B", edu_status="ok")

    assert open_codes(household) == set()
    assert household_rules_apply(household=household) == ([], [])


def test_checking_again_does_not_duplicate(project, village):
    household = register(project, village, income_pc="100")

    household_rules_apply(household=household)
    household_rules_apply(household=household)

    assert Flag.objects.filter(household=household).count() == 1


def test_the_line_is_a_project_setting(project, village):
    project.monitoring_line = Decimal("4000")
    project.save()
    household = register(project, village, income_pc="4200")

    assert open_codes(household) == set()


def test_an_accepted_renovation_does_not_hide_a_house_graded_d_again(project, village):
    """A disaster after an accepted rebuild: the current grade decides, not the renovation."""
    household = register(project, village, house_grade="D", reno_status="accepted")
    assert "house_unsafe" in open_codes(household)

    household.house_grade = "A"
    household.properties.update(house_grade="A", housing_status="ok")
    household.save()
    assert household_rules_apply(household=household) == ([], ["house_unsafe"])
    assert "house_unsafe" not in open_codes(household)


def test_leaks_or_cracks_on_a_grade_a_house_are_unsafe(project, village):
    household = register(project, village, house_grade="A", housing_status="problem")
    assert open_codes(household) == {"house_unsafe"}


def test_a_visit_showing_income_above_the_line_closes_the_flag_naming_it(collect, forms, village):
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    send(collect, visit_xml(entity, 1, income=3000))
    household = Household.objects.get(uuid=entity)
    assert open_codes(household) == {"income_below_line"}

    later = send(collect, visit_xml(entity, 2, income=7000))

    flag = household.flags.get(code="income_below_line")
    assert flag.state == FlagState.CLOSED
    assert flag.closed_by_submission == later


def test_a_supervisor_clears_a_flag_with_a_note(project, village, sam):
    household = register(project, village, income_pc="100")
    household_rules_apply(household=household)
    flag = household.flags.get()

    flag_clear(flag=flag, actor=sam, note="收入核实有误，已更正")

    flag.refresh_from_db()
    assert (flag.state, flag.cleared_by, flag.note) == (
        FlagState.CLOSED,
        sam,
        "收入核实有误，已更正",
    )


@pytest.mark.parametrize(("days_ago", "expect_open"), [(200, True), (10, False)])
def test_overdue_visits_are_flagged_by_the_periodic_check(
    project, village, days_ago, expect_open, capsys
):
    household = register(project, village, income_pc="9000")
    Household.objects.filter(pk=household.pk).update(
        last_visit_at=timezone.now() - timedelta(days=days_ago)
    )

    call_command("check_overdue_visits")

    assert ("visit_overdue" in open_codes(household)) is expect_open
    assert f"opened: {int(expect_open)}" in capsys.readouterr().out


def test_a_visit_closes_the_overdue_flag_on_the_next_check(project, village, capsys):
    household = register(project, village)
    Household.objects.filter(pk=household.pk).update(
        last_visit_at=timezone.now() - timedelta(days=400)
    )
    call_command("check_overdue_visits")
    Household.objects.filter(pk=household.pk).update(last_visit_at=timezone.now())

    call_command("check_overdue_visits")

    assert open_codes(household) == set()
    assert "closed: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("persons", "area", "last_resort", "flagged"),
    [
        ("1", "19.5", "no", True),  # below 20 m² for one person
        ("2", "30", "no", False),
        ("3", "61", "no", True),  # above 60 m² up to three persons
        ("5", "64", "no", True),  # 13 × 5 = 65 m² is the minimum for five persons
        ("5", "90", "no", False),  # 18 × 5 = 90 m² is the cap
        ("5", "91", "no", True),
        ("4", "55", "yes", True),  # a last-resort household builds at the minimum (52 m²)
        ("4", "52", "yes", False),
    ],
)
def test_renovation_area_outside_the_standard(
    project, village, persons, area, last_resort, flagged
):
    household = register(
        project,
        village,
        hh_size=persons,
        reno_method="rebuild",
        reno_area=area,
        dibao=last_resort,
        house_grade="B",
    )

    household_rules_apply(household=household)

    assert ("reno_area" in open_codes(household)) is flagged


def test_reinforcement_has_no_area_rule_and_the_standard_is_a_project_setting(project, village):
    reinforced = register(project, village, hh_size="1", reno_method="reinforce", reno_area="200")
    project.reno_max_small = 80
    project.save()
    bigger = register(project, village, hh_size="2", reno_method="rebuild", reno_area="75")

    household_rules_apply(household=reinforced)
    household_rules_apply(household=bigger)

    assert "reno_area" not in open_codes(reinforced) | open_codes(bigger)


def test_the_area_flag_carries_the_standard_it_was_held_to(project, village):
    household = register(project, village, hh_size="3", reno_method="new_site", reno_area="70")

    household_rules_apply(household=household)

    flag = household.flags.get(code="reno_area")
    assert flag.evidence == {
        "area_m2": "70",
        "persons": 3,
        "min_m2": 40,
        "max_m2": 60,
        "last_resort": False,
    }
    assert flag.severity == "warning"
