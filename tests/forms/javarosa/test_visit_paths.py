"""The home-visit form filled by JavaRosa (ODK Collect's engine) along scripted paths."""

import pytest
from pyxform.xls2xform import convert

from tests.forms.javarosa.paths import CLOCK, child, sample_media, visit

pytestmark = pytest.mark.slow

CHILDREN = "/data/education/children"


@pytest.fixture
def fill(engine, xforms):
    def run(answers, **household):
        return engine.fill(
            xforms["hh_visit"], answers=answers, set_values=CLOCK, media=sample_media(**household)
        )

    return run


def test_a_household_without_children_shows_no_child_entry_and_finalises(fill):
    filled = fill(visit(**{"/data/education/n_school_age": "0"}))

    assert filled.errors == []
    assert not [path for path in filled.shown if path.startswith(CHILDREN)]
    assert filled.count(CHILDREN) == 0  # not even an empty entry in the submission
    assert filled.value("/data/education/edu_status") == "ok"
    assert filled.value("/data/dropout_names") == ""


def test_a_count_alone_leaves_javarosa_one_phantom_entry(engine):
    """Why the form puts `relevant` on the repeat: with repeat_count 0 JavaRosa 5.1 keeps the
    entry pyxform writes into the blank instance, and its required questions block the form."""
    form = """
    | survey |
    |        | type         | name | label | required | repeat_count | relevant |
    |        | integer      | n    | N     | yes      |              |          |
    |        | begin_repeat | kids | Kid   |          | ${n}         | {rel}    |
    |        | text         | kid  | Name  | yes      |              |          |
    |        | end_repeat   | kids |       |          |              |          |
    """

    def errors(relevant: str) -> list[str]:
        xform = convert(xlsform=form.replace("{rel}", relevant), file_type=".md").xform
        return [e["path"] for e in engine.fill(xform, answers={"/data/n": "0"}).errors]

    assert errors("") == ["/data/kids[1]/kid"]
    assert errors("${n} > 0") == []


def test_two_children_get_two_entries_and_the_dropout_is_named(fill):
    filled = fill(
        visit(
            **{"/data/education/n_school_age": "2"},
            **child(1, "王小明", 10, "in_school", child_stage="primary"),
            **child(2, "王小红", 14, "dropout", child_stage="junior", child_action="已劝返"),
        )
    )

    assert filled.errors == []
    assert filled.count(CHILDREN) == 2
    assert filled.value("/data/education/edu_status") == "problem"
    assert filled.value("/data/education/n_dropout") == "1"
    assert filled.value("/data/education/n_dropout_junior") == "1"
    assert filled.value("/data/dropout_names") == "王小红"


def test_a_dropout_needs_what_is_being_done_to_bring_the_child_back(fill):
    filled = fill(
        visit(
            **{"/data/education/n_school_age": "1"},
            **child(1, "王小红", 14, "dropout", child_stage="junior"),
        )
    )

    assert filled.errors_at(f"{CHILDREN}[1]/child_action") == ["required"]


def test_finished_compulsory_education_and_not_yet_of_school_age_are_no_dropouts(fill):
    filled = fill(
        visit(
            **{"/data/education/n_school_age": "2"},
            **child(1, "王大宝", 15, "finished_compulsory"),
            **child(2, "王小宝", 6, "not_school_age"),
        )
    )

    assert filled.errors == []
    assert filled.value("/data/education/edu_status") == "ok"
    assert filled.value("/data/dropout_names") == ""


@pytest.mark.parametrize(
    ("age", "status"), [(9, "finished_compulsory"), (12, "not_school_age"), (16, "in_school")]
)
def test_an_age_that_does_not_fit_the_school_status_is_refused(fill, age, status):
    filled = fill(
        visit(
            **{"/data/education/n_school_age": "1"},
            **child(1, "王小明", age, status, child_stage="primary"),
        )
    )

    assert filled.errors[0]["kind"] == "constraint"
    assert filled.errors[0]["path"].startswith(f"{CHILDREN}[1]/child_")


def test_an_income_drop_of_40_percent_needs_a_reason(fill):
    # 9,000 a head before; now (20,000 + 2,000 - 600) / 4 = 5,350.
    dropped = {
        "/data/income/inc_wage": "20000",
        "/data/income/inc_business": "0",
        "/data/income/inc_transfer": "2000",
        "/data/income/exp_production": "600",
    }
    without = fill(visit(**dropped))
    reason = "户主务工受伤，停工半年"
    given = fill(visit(**dropped, **{"/data/income/income_change": reason}))

    assert without.errors_at("/data/income/income_change") == ["required"]
    assert given.errors == []
    assert given.value("/data/income/income_pc") == "5350"
    assert given.value("/data/income/income_change_save") == reason


def test_an_unchanged_income_asks_no_reason_and_saves_an_empty_one(fill):
    filled = fill(visit())

    assert "/data/income/income_change" not in filled.shown
    assert filled.value("/data/income/income_change_save") == ""


def test_rigid_spending_risks_measures_and_proposals_are_kept(fill):
    filled = fill(
        visit(
            **{
                "/data/income/spend_medical": "45000",
                "/data/income/spend_education": "3000",
                "/data/conclusion/risks": "illness",
                "/data/conclusion/measures": "health credit",
                "/data/conclusion/proposals": "medical_assistance temporary_assistance",
                "/data/conclusion/outcome": "propose_monitor",
                "/data/conclusion/problems": "透析费用高",
            }
        )
    )

    assert filled.errors == []
    assert filled.value("/data/income/spend_medical") == "45000.0"
    assert filled.value("/data/conclusion/proposals") == "medical_assistance temporary_assistance"


def test_no_proposal_cannot_be_combined_with_a_proposal(fill):
    filled = fill(visit(**{"/data/conclusion/proposals": "none dibao"}))

    assert filled.errors_at("/data/conclusion/proposals") == ["constraint"]


def test_markers_are_prefilled_from_the_household_list_and_can_be_corrected(fill):
    filled = fill(
        visit(**{"/data/priority/has_elderly": "yes", "/data/priority/relocated": "yes"}),
        dibao="yes",
    )

    assert filled.errors_at("/data/priority/relocation_support") == ["required"]
    assert filled.value("/data/priority/dibao") == "yes"  # from households.csv
    assert filled.value("/data/household_size/labour_count") == "2"
    assert filled.value("/data/priority/has_elderly") == "yes"


def test_a_marker_the_list_does_not_know_must_be_answered(fill):
    filled = fill(visit(), has_disabled="")

    assert filled.errors_at("/data/priority/has_disabled") == ["required"]


def test_medical_assistance_is_asked_only_when_someone_is_ill(fill):
    well = fill(visit())
    ill = fill(
        visit(
            **{"/data/medical/has_serious_illness": "yes", "/data/medical/ill_treated": "yes"},
            **{"/data/medical/med_assist": "no"},
        )
    )

    assert "/data/medical/med_assist" not in well.shown
    assert well.value("/data/medical/med_assist_save") == ""
    assert ill.errors == []
    assert ill.value("/data/medical/med_assist_save") == "no"


def test_risk_cannot_be_proposed_as_eliminated_while_a_check_has_a_problem(fill):
    filled = fill(
        visit(**{"/data/housing/sanitary_toilet": "no", "/data/housing/house_grade": "C"}),
        house_grade="C",
    )
    refused = fill(visit(**{"/data/conclusion/outcome": "propose_clear"}), house_grade="D")

    assert filled.errors == []
    assert filled.value("/data/housing/housing_status") == "problem"
    assert refused.errors_at("/data/conclusion/outcome") == ["constraint"]


def test_a_visit_where_nobody_was_met_does_not_update_the_household(fill):
    filled = fill(
        {
            **{k: v for k, v in visit().items() if k.count("/") == 2},
            "/data/met": "no",
            "/data/not_met_reason": "away_work",
        }
    )

    assert filled.errors == []
    assert filled.root.find("meta/entity").get("update") in {"0", "false"}
    assert filled.value("/data/income/income_pc") is None  # not relevant: not sent
