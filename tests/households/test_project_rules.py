"""Rules a project writes itself: its condition, severity, label and sentence in both languages,
checked on the form, shown on the flag with the numbers they read, and counted on the dashboard."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backend.flags.catalogue import flag_codes, flag_details_for_reader, flag_label
from backend.flags.models import FlagState
from backend.households.statistics import statistics_columns, village_statistics
from backend.monitoring.engine import household_rules_apply
from backend.monitoring.models import MonitoringRule
from tests.households.registry import open_codes, register

HIGH_COSTS = {"gt": [{"fact": "spend_medical"}, {"param": "limit"}]}


def _own_rule(project, **fields) -> MonitoringRule:
    values = {
        "project": project,
        "code": "medical_costs_high",
        "severity": "warning",
        "condition": HIGH_COSTS,
        "params": {"limit": 10000},
        "label_zh": "医疗支出偏高",
        "label_en": "High medical costs",
        "sentence_zh": "医疗支出{spend_medical}元，超过{limit:,}元。",
        "sentence_en": "Medical costs of {spend_medical} yuan, over {limit:,} yuan.",
        **fields,
    }
    rule = MonitoringRule(**values)
    rule.full_clean()
    rule.save()
    return rule


def test_a_rule_of_the_projects_own_opens_a_flag_in_its_own_words(project, village):
    _own_rule(project)
    household = register(project, village, spend_medical="23500")

    flag = household.flags.get(code="medical_costs_high", state=FlagState.OPEN)
    assert flag.severity == "warning"
    with translation.override("zh-hans"):
        assert flag_label(flag.code, project.pk) == "医疗支出偏高"
        assert flag_details_for_reader(flag) == "医疗支出23,500元，超过10,000元。"
    with translation.override("en"):
        assert flag_label(flag.code, project.pk) == "High medical costs"
        assert flag_details_for_reader(flag) == "Medical costs of 23,500 yuan, over 10,000 yuan."


def test_a_household_under_the_threshold_gets_no_flag(project, village):
    _own_rule(project)
    household = register(project, village, spend_medical="3000")
    assert "medical_costs_high" not in open_codes(household)


def test_the_dashboard_counts_the_projects_own_flags_under_their_label(project, village):
    _own_rule(project)
    register(project, village, spend_medical="23500")

    assert "medical_costs_high" in flag_codes(project.pk)
    [row] = village_statistics(project.households.all(), project=project, lines=[])
    assert row["flag_medical_costs_high"] == 1
    with translation.override("en"):
        columns = dict(statistics_columns([], project))
    assert columns["flag_medical_costs_high"] == "High medical costs"


def test_turning_off_or_removing_a_rule_closes_its_flags(project, village):
    rule = _own_rule(project)
    household = register(project, village, spend_medical="23500")

    rule.active = False
    rule.save()
    household_rules_apply(household=household)
    assert "medical_costs_high" not in open_codes(household)

    rule.active = True
    rule.save()
    household_rules_apply(household=household)
    rule.delete()
    household_rules_apply(household=household)
    assert "medical_costs_high" not in open_codes(household)


def test_a_library_rule_can_be_given_the_projects_sentence(project, village):
    MonitoringRule.objects.create(
        project=project,
        code="income_below_line",
        sentence_zh="人均纯收入{income_per_capita}元，低于{line}元的监测线。",
    )
    household = register(project, village, income_pc="3200", income_year="2026")

    flag = household.flags.get(code="income_below_line")
    with translation.override("zh-hans"):
        assert flag_details_for_reader(flag) == "人均纯收入3,200元，低于6,000元的监测线。"
    with translation.override("en"):  # no English sentence written: the library's
        assert "3,200" in flag_details_for_reader(flag)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label_en": ""}, "label_en"),
        ({"severity": ""}, "severity"),
        ({"condition": None}, "condition"),
        ({"code": "Bad Code"}, "code"),
        ({"code": "gps_missing"}, "code"),
        ({"condition": {"between": [1, 2]}}, "condition"),
        ({"sentence_en": "Costs of {spend_education} yuan."}, "sentence_en"),
        ({"sentence_zh": "医疗支出{spend_medical元"}, "sentence_zh"),
        ({"sentence_en": "Costs of {spend_medical.__class__} yuan."}, "sentence_en"),
        ({"sentence_en": "Costs of {spend_medical!r} yuan."}, "sentence_en"),
    ],
)
def test_a_rule_the_engine_could_not_run_or_explain_is_refused(project, fields, field):
    with pytest.raises(ValidationError) as refused:
        _own_rule(project, **fields)
    assert field in refused.value.message_dict
    assert not MonitoringRule.objects.exists()


def test_a_sentence_shows_a_dash_for_a_number_the_evidence_lacks(project, village):
    rule = _own_rule(project)
    household = register(project, village, spend_medical="23500")
    flag = household.flags.get(code=rule.code)
    flag.evidence = {}
    with translation.override("en"):
        assert flag_details_for_reader(flag) == "Medical costs of — yuan, over — yuan."
