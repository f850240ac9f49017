"""The housing-inspection form filled by JavaRosa (ODK Collect's engine) along scripted paths."""

import pytest

from tests.forms.javarosa.paths import CLOCK, inspection, sample_media

pytestmark = pytest.mark.slow

TWO_PARTS = {"/data/before/danger": 2}


@pytest.fixture
def fill(engine, xforms):
    def run(answers, repeats=TWO_PARTS, **household):
        media = sample_media(**{"house_grade": "D", **household})
        return engine.fill(
            xforms["housing_inspection"],
            answers=answers,
            set_values=CLOCK,
            repeats=repeats,
            media=media,
        )

    return run


def test_an_appraisal_of_a_d_house_with_two_dangerous_parts(fill):
    filled = fill(inspection())

    assert filled.errors == []
    assert filled.count("/data/before/danger") == 2
    assert "/data/before/danger_warn" not in filled.shown
    assert filled.value("/data/house_grade_save") == "D"
    assert filled.value("/data/reno_status") == "appraised"


def test_one_dangerous_part_is_warned_about_but_allowed(fill):
    filled = fill(inspection(), repeats={"/data/before/danger": 1})

    assert "/data/before/danger_warn" in filled.shown
    assert [e["path"] for e in filled.errors] == [
        f"/data/before/danger[2]/{q}" for q in ("photo_danger", "photo_danger_gps", "danger_desc")
    ]  # only the script's unused answers for a second part: the form itself accepts one


def test_a_c_house_not_reinforced_needs_a_reason(fill):
    c_house = {"/data/plan/grade_before": "C", "/data/plan/reno_method": "rebuild"}
    reason = "地基下沉，加固费用超过重建"

    without = fill(inspection(**c_house), house_grade="C")
    given = fill(inspection(**c_house, **{"/data/plan/method_reason": reason}), house_grade="C")
    reinforced = fill(
        inspection(**{"/data/plan/grade_before": "C", "/data/plan/reno_method": "reinforce"}),
        house_grade="C",
    )

    assert without.errors_at("/data/plan/method_reason") == ["required"]
    assert given.errors == []
    assert given.value("/data/plan/method_reason") == reason
    assert "/data/plan/method_reason" not in reinforced.shown


def test_a_90_m2_rebuild_for_four_people_is_above_the_standard_and_needs_a_reason(fill):
    big = {"/data/plan/area_m2": "90"}
    reason = "户主自筹资金加建"

    without = fill(inspection(**big))
    given = fill(inspection(**big, **{"/data/plan/area_reason": reason}))

    # Four people: 13-18 m² each, 52-72 m²; the form warns and asks, it does not block.
    assert without.errors_at("/data/plan/area_reason") == ["required"]
    assert "/data/plan/area_over" in given.shown
    assert (given.value("/data/plan/area_min"), given.value("/data/plan/area_cap")) == ("52", "72")
    assert given.errors == []


def test_an_area_below_the_minimum_is_refused(fill):
    filled = fill(inspection(**{"/data/plan/area_m2": "45"}))

    assert filled.errors_at("/data/plan/area_m2") == ["constraint"]


def test_a_last_resort_household_builds_at_the_minimum(fill):
    filled = fill(inspection(**{"/data/plan/area_m2": "60"}), dibao="yes")

    assert filled.value("/data/plan/last_resort") == "yes"  # prefilled from the dibao marker
    assert filled.value("/data/plan/area_cap") == "52"
    assert filled.errors_at("/data/plan/area_reason") == ["required"]


def test_acceptance_is_refused_without_a_sanitary_toilet(fill):
    no_toilet = {"/data/after/has_toilet": "no"}
    filled = fill(inspection(stage="after", **no_toilet), repeats={})

    assert filled.errors_at("/data/after/result") == ["constraint"]


def test_a_passed_acceptance_makes_the_house_safe_and_records_the_toilet(fill):
    filled = fill(inspection(stage="after"), repeats={})

    assert filled.errors == []
    assert filled.value("/data/house_grade_save") == "A"
    assert filled.value("/data/housing_status") == "ok"
    assert filled.value("/data/reno_status") == "accepted"
    assert filled.value("/data/sanitary_toilet") == "yes"


def test_the_grade_before_offers_only_c_and_d(fill):
    filled = fill(inspection(**{"/data/plan/grade_before": "B"}))

    assert filled.errors_at("/data/plan/grade_before") == ["not_a_choice"]
