"""The registration form filled by JavaRosa (ODK Collect's engine) along scripted paths."""

import pytest

from tests.forms.javarosa.paths import ADULT, CLOCK, member, registration, sample_media

pytestmark = pytest.mark.slow

FOUR = {"/data/members": 4}


@pytest.fixture
def fill(engine, xforms):
    def run(answers, repeats=FOUR):
        return engine.fill(
            xforms["hh_registration"],
            answers=answers,
            set_values=CLOCK,
            repeats=repeats,
            media=sample_media(),
        )

    return run


def test_a_household_of_four_registers_with_its_numbers(fill):
    filled = fill(registration())

    assert filled.errors == []
    assert filled.count("/data/members") == 4
    assert filled.value("/data/members[3]/m_age") == "14"  # on the phone's date, 2026-12-07
    assert filled.value("/data/hh_size") == "4"
    assert filled.value("/data/labour_count") == "2"  # the parents; the children are under 16
    assert filled.value("/data/income/income_pc") == "9000"
    assert filled.value("/data/n_school_age") == "2"
    assert filled.value("/data/pension_status") == "ok"
    assert filled.value("/data/last_visit") == "2026-12-07"  # a date, not a date-time
    entity = filled.root.find("meta/entity")
    assert entity.get("create") in {"1", "true"}
    assert len(entity.get("id")) == 36  # a UUID set when the form was opened


def test_only_the_villages_of_the_server_list_are_offered(fill):
    filled = fill(registration(**{"/data/address/village": "demo-v02"}))

    assert filled.errors_at("/data/address/village") == ["not_a_choice"]


def test_a_child_who_dropped_out_is_named_for_the_household(fill):
    dropout = {"m_school": "not_in_school", "m_out_reason": "dropout", "m_stage_due": "junior"}
    filled = fill(registration(**member(3, "王小红", "child", "female", "2012-05-10", **dropout)))

    assert filled.errors == []
    assert filled.value("/data/education/edu_status") == "problem"
    assert filled.value("/data/n_dropout") == "1"
    assert filled.value("/data/dropout_names") == "王小红"
    assert filled.value("/data/n_dropout_junior") == "1"
    assert filled.value("/data/n_dropout_primary") == "0"


def test_a_fifteen_year_old_who_finished_junior_school_is_no_dropout(fill):
    finished = {"m_school": "not_in_school", "m_out_reason": "finished_compulsory"}
    filled = fill(registration(**member(3, "王小红", "child", "female", "2011-03-01", **finished)))

    assert filled.errors == []
    assert filled.value("/data/education/edu_status") == "ok"
    assert filled.value("/data/dropout_names") == ""


def test_a_ten_year_old_cannot_have_finished_compulsory_education(fill):
    finished = {"m_school": "not_in_school", "m_out_reason": "finished_compulsory"}
    filled = fill(registration(**member(4, "王小明", "child", "male", "2016-09-01", **finished)))

    assert filled.errors_at("/data/members[4]/m_out_reason") == ["constraint"]


def test_an_adult_without_pension_insurance_is_counted(fill):
    uninsured = member(2, "李秀英", "spouse", "female", "1972-06-01", **ADULT)
    uninsured["/data/members[2]/m_pension"] = "no"
    filled = fill(registration(**uninsured))

    assert filled.errors == []
    assert filled.value("/data/n_no_pension") == "1"
    assert filled.value("/data/pension_status") == "problem"


def test_pension_is_not_asked_of_children(fill):
    filled = fill(registration())

    assert "/data/members[1]/m_pension" in filled.shown
    assert "/data/members[3]/m_pension" not in filled.shown


def test_no_household_without_consent(fill):
    filled = fill({"/data/consent/consent_given": "no"}, repeats={})

    assert filled.errors == []
    assert filled.root.find("meta/entity").get("create") in {"0", "false"}
    assert filled.value("/data/household/hh_code") is None
