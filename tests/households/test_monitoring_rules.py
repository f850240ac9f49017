"""The monitoring rules of the work plans, as data: each with a household that should be flagged
and one that should not, the numbers named in the flag's sentence, lines by year, a cleared flag
that holds until the facts change, and the recheck after a change of the lines."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from backend.flags.catalogue import flag_details
from backend.flags.models import FlagState
from backend.flags.services import flag_clear
from backend.monitoring.conditions import ConditionError, Facts, check, holds
from backend.monitoring.engine import household_rules_apply
from backend.monitoring.library import LIBRARY
from backend.monitoring.models import IncomeLine, MonitoringRule
from forms.services import Upload, form_publish
from tests.households.entity_forms import register_xml, send, visit_xml
from tests.households.registry import open_codes, register


def sentence(household, code: str, language: str = "en") -> str:
    flag = household.flags.get(code=code, state=FlagState.OPEN)
    with translation.override(language):
        return flag_details(code, flag.evidence)


def test_every_rule_cites_its_seed_and_quote_and_its_condition_is_valid():
    for spec in LIBRARY:
        assert spec.seed
        assert spec.quote
        if spec.condition is not None:
            check(spec.condition)
        else:
            assert spec.builtin


def test_an_unknown_operator_is_refused():
    with pytest.raises(ConditionError):
        check({"between": [1, 2]})


def test_a_missing_fact_makes_the_condition_unknown_not_false():
    facts = Facts({"income_per_capita": "5000"})
    assert holds({"lt": [{"fact": "income_per_capita"}, {"fact": "missing"}]}, facts) is None
    assert holds({"not": {"present": {"fact": "missing"}}}, facts) is True


def test_dialysis_costs_make_sudden_hardship_and_name_their_numbers(project, village):
    household = register(
        project,
        village,
        income_pc="6500",
        income_year="2026",
        hh_size="4",
        spend_medical="45000",
        spend_education="0",
    )

    assert "sudden_hardship" in open_codes(household)
    english = sentence(household, "sudden_hardship")
    assert "medical costs 45,000" in english
    assert "4 members" in english
    assert "医疗支出45,000元" in sentence(household, "sudden_hardship", "zh-hans")


def test_small_rigid_costs_above_the_line_are_no_hardship(project, village):
    household = register(
        project, village, income_pc="9000", hh_size="4", spend_medical="2000", spend_education="0"
    )
    assert "sudden_hardship" not in open_codes(household)


def test_an_income_is_judged_against_the_line_of_its_own_year(project, village):
    IncomeLine.objects.create(project=project, year=2020, amount=Decimal("4000"))
    household = register(project, village, income_pc="4300", income_year="2020")
    assert "income_below_line" not in open_codes(household)  # today's line is 6,000

    later = register(project, village, income_pc="4300", income_year="2026")
    assert "income_below_line" in open_codes(later)


def test_a_townships_own_line_comes_before_the_projects(project, village):
    IncomeLine.objects.create(project=project, year=2026, amount=Decimal("5000"))
    IncomeLine.objects.create(project=project, year=2026, area=village, amount=Decimal("7000"))
    household = register(project, village, income_pc="6500", income_year="2026")
    assert "line of 7,000 yuan" in sentence(household, "income_below_line")


def test_changing_a_line_rechecks_the_households(
    project, village, django_capture_on_commit_callbacks
):
    household = register(project, village, income_pc="5500", income_year="2025")
    assert "income_below_line" in open_codes(household)

    with django_capture_on_commit_callbacks(execute=True):
        IncomeLine.objects.create(project=project, year=2025, amount=Decimal("5000"))

    assert "income_below_line" not in open_codes(household)


def test_an_exited_household_below_the_line_has_returned_to_poverty(project, village):
    household = register(project, village, category="exited", income_pc="3000")
    assert {"returned_to_poverty", "income_below_line", "not_monitored"} <= open_codes(household)


def test_a_monitored_household_is_not_outside_the_system(project, village):
    household = register(project, village, category="monitor_marginal", income_pc="3000")
    assert "not_monitored" not in open_codes(household)
    assert "returned_to_poverty" not in open_codes(household)


def test_no_labour_below_the_line_and_no_dibao_should_be_covered(project, village):
    uncovered = register(project, village, labour_count="0", income_pc="3000", dibao="no")
    covered = register(project, village, labour_count="0", income_pc="3000", dibao="yes")
    assert "dibao_not_covered" in open_codes(uncovered)
    assert "dibao_not_covered" not in open_codes(covered)


def test_an_income_just_above_the_line_without_a_reason_is_questioned(project, village):
    household = register(project, village, income_pc="5000", income_year="2026")
    household.income_per_capita = Decimal("6100")
    household.properties["income_pc"] = "6100"
    household.save()
    household.versions.create(version=2, label="H", data=dict(household.properties))

    household_rules_apply(household=household)

    assert "income_jump" in open_codes(household)
    assert "from 5,000 to 6,100 yuan" in sentence(household, "income_jump")

    household.properties["income_change_reason"] = "子女外出务工"
    household.save()
    household_rules_apply(household=household)
    assert "income_jump" not in open_codes(household)


def test_a_priority_household_without_a_grade_needs_an_appraisal(project, village):
    household = register(project, village, dibao="yes")
    graded = register(project, village, dibao="yes", house_grade="B")
    assert "priority_no_appraisal" in open_codes(household)
    assert "priority_no_appraisal" not in open_codes(graded)


def test_a_cleared_flag_holds_until_the_facts_change(project, village, sam):
    household = register(project, village, income_pc="3000", income_year="2026")
    flag = household.flags.get(code="income_below_line")
    flag_clear(flag=flag, actor=sam, note="已纳入监测")

    household_rules_apply(household=household)  # the next visit, same facts
    assert "income_below_line" not in open_codes(household)

    household.income_per_capita = Decimal("2500")
    household.save()
    household_rules_apply(household=household)
    assert "income_below_line" in open_codes(household)


def test_a_project_turns_a_rule_off_and_its_open_flags_close(project, village):
    household = register(project, village, dibao="yes")
    assert "priority_no_appraisal" in open_codes(household)

    MonitoringRule.objects.create(project=project, code="priority_no_appraisal", active=False)
    household_rules_apply(household=household)

    assert "priority_no_appraisal" not in open_codes(household)


def test_a_project_sets_its_own_threshold(project, village):
    MonitoringRule.objects.create(
        project=project, code="sudden_hardship", params={"rigid_spending_limit": 5000}
    )
    household = register(
        project, village, income_pc="20000", hh_size="2", spend_medical="8000", spend_education="0"
    )
    assert "sudden_hardship" in open_codes(household)


def test_recheck_households_is_idempotent_and_reports_progress(project, village, capsys):
    household = register(project, village, income_pc="3000")
    household.flags.all().delete()  # as if imported before the rules ran

    call_command("recheck_households", "--project", project.slug)
    first = capsys.readouterr().out
    call_command("recheck_households", "--project", project.slug)
    second = capsys.readouterr().out

    assert "income_below_line" in open_codes(household)
    assert "households checked: 1, flags opened: 1" in first
    assert "flags opened: 0, closed: 0" in second


MET_VISIT = """
| survey |
|        | type                                | name       | label | save_to    |
|        | select_one_from_file households.csv | hh         | HH    |            |
|        | date                                | last_visit | Seen  | last_visit |
| entities |
|          | list_name  | entity_id |
|          | households | ${hh}     |
| settings |
|          | form_id | version |
|          | met     | 1       |
"""


def test_the_visit_that_met_the_household_closes_overdue_naming_it(
    collect, forms, village, project, alice, fixed_clock
):
    form_publish(project=project, source=Upload("met.md", MET_VISIT.encode()), published_by=alice)
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    household = project.households.get(uuid=entity)
    household.last_visit_at = household.created_at.replace(year=2025)
    household.save()
    call_command("check_overdue_visits")
    assert "visit_overdue" in open_codes(household)

    xml = visit_xml(entity, 1, last_visit="2026-12-07").replace(b'id="visit"', b'id="met"')
    visit = send(collect, xml)

    flag = household.flags.get(code="visit_overdue")
    assert flag.state == FlagState.CLOSED
    assert flag.closed_by_submission == visit


def test_the_dropout_flag_names_the_child(project, village):
    household = register(project, village, edu_status="problem", dropout_names="李小明")
    assert sentence(household, "school_dropout") == "Children out of school: 李小明."
    assert sentence(household, "school_dropout", "zh-hans") == "失学辍学儿童：李小明。"


def test_the_documentation_lists_every_rule_with_its_seed():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "households.md").read_text()
    for spec in LIBRARY:
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{spec.code}` |")]
        assert f"| {spec.seed} |" in row


def test_a_household_still_in_hardship_weighs_on_the_latest_visit(collect, forms, village):
    """The second visit finds the income still below the line: the flag counts for it, so it is
    not at the bottom of the review queue because the first visit found the problem first."""
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    first = send(collect, visit_xml(entity, 1, income=3000))
    second = send(collect, visit_xml(entity, 2, income=3100))

    flag = first.project.households.get(uuid=entity).flags.get(code="income_below_line")
    first.refresh_from_db()
    second.refresh_from_db()
    assert flag.submission == second
    assert "3100" in flag.evidence["income_per_capita"]
    assert second.risk >= 10
    assert first.risk < second.risk


RENOVATION = """
| survey |
|        | type                                | name        | label  | save_to     |
|        | select_one_from_file households.csv | hh          | HH     |             |
|        | text                                | reno_status | Status | reno_status |
|        | text                                | house_grade | Grade  | house_grade |
| entities |
|          | list_name  | entity_id |
|          | households | ${hh}     |
| settings |
|          | form_id | version |
|          | reno    | 1       |
"""


def _inspect(collect, entity: str, base: int, status: str, grade: str = "D"):
    xml = visit_xml(entity, base, reno_status=status, house_grade=grade)
    return send(collect, xml.replace(b'id="visit"', b'id="reno"'))


@pytest.fixture
def renovated(collect, forms, village, project, alice, bob):
    form_publish(project=project, source=Upload("reno.md", RENOVATION.encode()), published_by=alice)
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    household = project.households.get(uuid=entity)
    # Bob inspects in his assigned village a household someone else helps.
    project.memberships.get(user=bob).areas.add(village)
    household.helper = alice
    household.save()
    return household


def _refusal(submission):
    flag = submission.flags.get(code="reno_acceptance_refused", state=FlagState.OPEN)
    with translation.override("en"):
        return flag, flag_details(flag.code, flag.evidence)


def test_an_acceptance_with_no_appraisal_before_it_is_refused(collect, renovated):
    _inspect(collect, str(renovated.uuid), 1, "in_progress")
    visit = _inspect(collect, str(renovated.uuid), 2, "accepted", grade="A")

    renovated.refresh_from_db()
    assert renovated.properties["reno_status"] == "in_progress"
    assert renovated.house_grade == "D"
    flag, english = _refusal(visit)
    assert flag.household == renovated
    assert flag.evidence["reasons"] == ["no_appraisal"]
    assert "no appraisal is on record before it" in english
    assert "grade (D) instead of the grade A" in english
    # The visit is kept as sent: its version records the acceptance the phone made.
    assert renovated.versions.get(submission=visit).received["reno_status"] == "accepted"


def test_an_acceptance_by_the_households_own_helper_is_refused(collect, renovated, bob):
    renovated.helper = bob  # bob's phone sends the inspections
    renovated.save()
    for base, status in enumerate(("appraised", "in_progress"), start=1):
        _inspect(collect, str(renovated.uuid), base, status)
    visit = _inspect(collect, str(renovated.uuid), 3, "accepted", grade="A")

    renovated.refresh_from_db()
    assert (renovated.properties["reno_status"], renovated.house_grade) == ("in_progress", "D")
    flag, english = _refusal(visit)
    assert flag.evidence["reasons"] == ["own_helper"]
    assert "sent by the household's own helper" in english
    with translation.override("zh-hans"):
        assert "帮扶" in flag_details(flag.code, flag.evidence)


def test_an_acceptance_in_order_by_another_inspector_is_applied(collect, renovated):
    for base, status in enumerate(("appraised", "in_progress", "accepted"), start=1):
        visit = _inspect(collect, str(renovated.uuid), base, status, grade="A")

    renovated.refresh_from_db()
    assert (renovated.properties["reno_status"], renovated.house_grade) == ("accepted", "A")
    assert not {"reno_self_accepted", "reno_stage_skipped"} & open_codes(renovated)
    assert not visit.flags.filter(code="reno_acceptance_refused").exists()


def test_a_registered_acceptance_with_no_history_is_flagged_as_skipped(project, village):
    """A household registered or imported as accepted did not pass the stages on record."""
    household = register(project, village, reno_status="accepted", house_grade="A")

    assert "reno_stage_skipped" in open_codes(household)
    assert "appraisal before: no" in sentence(household, "reno_stage_skipped")
    assert "验收前是否有鉴定：否" in sentence(household, "reno_stage_skipped", "zh-hans")
