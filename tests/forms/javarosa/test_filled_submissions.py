"""Library forms filled by JavaRosa and sent through the OpenRosa submission endpoint: the
household record and the flags the server makes of what the engine produced."""

from datetime import timedelta

import pytest

from backend.flags.models import FlagState
from backend.households.models import Household
from backend.monitoring.library import LIBRARY
from backend.submissions.models import Submission
from forms.library import library_paths
from forms.services import Upload, form_publish
from tests.conftest import FIXED_NOW
from tests.forms.javarosa.paths import (
    AT_SCHOOL,
    OLD_COUPLE,
    child,
    inspection,
    registration,
    visit,
)
from tests.forms.javarosa.phone import Phone

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("village", "library")]

# Flags of the monitoring rules (backend/monitoring/library.py); the evidence checks add others
# (a test photo carries no camera time or position).
RULE_FLAGS = {spec.code for spec in LIBRARY}


@pytest.fixture
def library(project, alice, fixed_clock):
    """The forms, published the day before; the phones send them just after the visit (the
    scripts' clock: 09:30 to 09:55)."""
    fixed_clock.move_to(FIXED_NOW - timedelta(days=1))
    for source in library_paths():
        form_publish(
            project=project, source=Upload(source.name, source.read_bytes()), published_by=alice
        )
    fixed_clock.move_to(FIXED_NOW + timedelta(minutes=30))


@pytest.fixture
def phone(collect, engine):
    return Phone(collect=collect, engine=engine)


def register(phone: Phone, answers: dict[str, str], members: int = 4) -> Household:
    filled = phone.fill("hh_registration", answers, repeats={"/data/members": members})
    assert phone.send(filled) == 201
    return Household.objects.get(code=answers["/data/household/hh_code"])


def open_flags(household: Household) -> dict[str, dict]:
    """The open flags of the monitoring rules, with their evidence."""
    flags = household.flags.filter(state=FlagState.OPEN, code__in=RULE_FLAGS)
    return {flag.code: flag.evidence for flag in flags}


def test_registration_creates_the_household_with_what_the_server_uses(phone):
    household = register(phone, registration(**{"/data/income/spend_medical": "1200"}))

    assert (household.member_count, str(household.income_per_capita)) == (4, "9000.00")
    assert household.village.code == "demo-v01"
    assert household.helper.username == "bob"
    props = household.properties
    assert (props["n_school_age"], props["labour_count"]) == ("2", "2")
    assert props["last_visit"] == "2026-12-07"
    assert props["spend_medical"] == "1200.0"
    assert props["risk_types"] == "illness"
    assert (props["pension_status"], props["sanitary_toilet"]) == ("ok", "yes")
    assert props["dropout_names"] == ""
    assert open_flags(household) == {}
    assert not Submission.objects.exclude(entity_error="").exists()


def test_a_visit_to_a_household_without_children_is_sent_without_a_child_entry(phone):
    household = register(phone, registration("DP-200", OLD_COUPLE), members=2)
    filled = phone.fill("hh_visit", visit(str(household.uuid)))

    assert filled.value("/data/education/n_school_age") == "0"  # prefilled from the list
    assert filled.count("/data/education/children") == 0
    assert phone.send(filled) == 201
    household.refresh_from_db()
    assert household.version == 2
    assert household.properties["edu_status"] == "ok"
    assert "school_dropout" not in open_flags(household)


def test_a_visit_where_nobody_was_met_is_kept_but_leaves_the_household_as_it_was(phone):
    household = register(phone, registration("DP-205"))
    answers = {
        "/data/village": "demo-v01",
        "/data/hh": str(household.uuid),
        "/data/met": "no",
        "/data/not_met_reason": "away_work",
        "/data/house_photo": "house.jpg",
        "/data/visit_gps": "26.5071 106.7095 1021 4.5",
    }
    filled = phone.fill("hh_visit", answers)

    assert filled.root.find("meta/entity").get("update") == "0"  # JavaRosa's false
    assert phone.send(filled) == 201
    household.refresh_from_db()
    assert household.version == 1
    assert Submission.objects.count() == 2


def test_a_dropout_found_on_a_visit_is_flagged_and_named(phone):
    household = register(phone, registration("DP-201"))
    filled = phone.fill(
        "hh_visit",
        visit(
            str(household.uuid),
            **child(1, "王小红", 14, "dropout", child_stage="junior", child_action="已家访劝返"),
            **child(2, "王小明", 10, "in_school", child_stage="primary"),
            **{"/data/conclusion/outcome": "follow_up", "/data/conclusion/problems": "辍学"},
        ),
    )

    assert filled.value("/data/education/n_school_age") == "2"  # from the registration
    assert phone.send(filled) == 201
    household.refresh_from_db()
    assert household.properties["dropout_names"] == "王小红"
    assert household.properties["n_dropout_junior"] == "1"
    assert "school_dropout" in open_flags(household)


def test_an_income_drop_of_40_percent_is_saved_with_its_reason(phone):
    household = register(phone, registration("DP-202"))
    reason = "户主务工受伤，停工半年"
    dropped = {
        "/data/income/inc_wage": "20000",
        "/data/income/inc_business": "0",
        "/data/income/exp_production": "600",
        "/data/income/income_change": reason,
        "/data/income/spend_medical": "45000",
    }

    filled = phone.fill("hh_visit", visit(str(household.uuid), **AT_SCHOOL, **dropped))

    assert phone.send(filled) == 201

    household.refresh_from_db()
    assert str(household.income_per_capita) == "5350.00"
    assert household.properties["income_change_reason"] == reason
    assert household.properties["spend_medical"] == "45000.0"
    assert "income_below_line" in open_flags(household)  # below the project's 6,000 line


def test_dialysis_costs_are_sudden_hardship_though_the_income_is_above_the_line(phone):
    """Income 9,000 -> 6,500 a person (above the 6,000 line), with 45,000 yuan of dialysis a
    year paid out of pocket: (26,000 - 45,000) / 4 is far below the line."""
    household = register(phone, registration("DP-210"))
    dialysis = {
        "/data/income/inc_wage": "24000",
        "/data/income/inc_business": "2000",
        "/data/income/exp_production": "2000",
        "/data/income/spend_medical": "45000",
    }

    filled = phone.fill("hh_visit", visit(str(household.uuid), **AT_SCHOOL, **dialysis))
    assert phone.send(filled) == 201

    household.refresh_from_db()
    flags = open_flags(household)
    assert str(household.income_per_capita) == "6500.00"
    assert "income_below_line" not in flags
    assert flags["sudden_hardship"]["spend_medical"] == "45000"
    visit_submission = Submission.objects.filter(form__xml_form_id="hh_visit").get()
    assert visit_submission.risk >= 10  # serious: the top of the review queue


def test_a_c_house_not_reinforced_is_recorded_with_the_reason(phone):
    household = register(phone, registration("DP-203", **{"/data/housing/house_grade": "C"}))
    answers = inspection(str(household.uuid), **{"/data/plan/method_reason": "地基下沉"})
    answers.pop("/data/plan/grade_before")  # prefilled from the household's grade

    filled = phone.fill("housing_inspection", answers, {"/data/before/danger": 2})

    assert filled.value("/data/plan/grade_before") == "C"
    assert phone.send(filled) == 201
    household.refresh_from_db()
    assert (household.house_grade, household.properties["reno_method"]) == ("C", "rebuild")
    assert household.properties["reno_status"] == "appraised"
    assert "house_unsafe" in open_flags(household)


def test_a_90_m2_rebuild_for_four_people_is_flagged_outside_the_area_standard(phone):
    household = register(phone, registration("DP-204", **{"/data/housing/house_grade": "D"}))
    answers = inspection(
        str(household.uuid), **{"/data/plan/area_m2": "90", "/data/plan/area_reason": "自建加层"}
    )

    filled = phone.fill("housing_inspection", answers, {"/data/before/danger": 2})

    assert phone.send(filled) == 201
    household.refresh_from_db()
    assert household.properties["reno_area"] == "90.0"
    evidence = open_flags(household)["reno_area"]
    assert (evidence["persons"], evidence["min_m2"], evidence["max_m2"]) == (4, 52, 72)
