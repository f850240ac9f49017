"""Household properties and their values in the reader's language (backend/households/labels.py,
backend/core/display.py): names from the forms and the catalogue, money, dates, yes/no."""

import pytest
from django.utils import translation

from backend.core.display import day, moment, money
from backend.households.labels import FormTexts, PropertyLabels, property_labels
from forms.services import Upload, form_publish

CATALOGUE = PropertyLabels(FormTexts())

# A county's own form: a property the catalogue does not know, named by its question's itext.
TOILET_FORM = """
| survey |
|        | type           | name   | label::English (en) | label::中文 (zh) | save_to |
|        | select_one yn  | toilet | Sanitary toilet     | 卫生厕所          | toilet  |
| choices |
|         | list_name | name | label::English (en) | label::中文 (zh) |
|         | yn        | yes  | Has one             | 有               |
|         | yn        | no   | Has none            | 无               |
| entities |
|          | list_name  | label   |
|          | households | ${toilet} |
| settings |
|          | form_id | version | default_language |
|          | toilet  | 1       | 中文 (zh)          |
"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_money_is_yuan_with_thousands_grouped_in_both_languages(language):
    with translation.override(language):
        assert money("45000") == "¥45,000"
        assert money(1234567.5) == "¥1,234,567.50"
        assert money("-300") == "-¥300"
        assert money("not a number") == "not a number"
        assert money(None) == ""


def test_dates_and_times_follow_the_readers_locale():
    with translation.override("en"):
        assert day("2026-11-23") == "23 November 2026"
        assert moment("2026-11-23T09:05:00.000+08:00") == "23 November 2026, 09:05"
    with translation.override("zh-hans"):
        assert day("2026-11-23") == "2026年11月23日"
        assert moment("2026-11-23T09:05:00.000+08:00") == "2026年11月23日 09:05"
    assert day("sometime") == "sometime"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["per-capita net income", "Yes", "Problem found", "Guaranteed", "Accepted"]),
        ("zh-hans", ["人均纯收入", "是", "存在问题", "有保障", "验收合格"]),
    ],
)
def test_registry_names_and_values_in_both_languages(language, expected):
    with translation.override(language):
        assert [
            CATALOGUE.name("income_pc"),
            CATALOGUE.value("dibao", "yes"),
            CATALOGUE.value("edu_status", "problem"),
            # A check the catalogue does not name still reads as every *_status check does.
            CATALOGUE.value("pension_status", "ok"),
            CATALOGUE.value("reno_status", "accepted"),
        ] == expected


def test_values_read_as_their_kind():
    with translation.override("en"):
        assert CATALOGUE.value("income_pc", "4300") == "¥4,300"
        assert CATALOGUE.value("spend_medical", "45000") == "¥45,000"  # saved by a form
        assert CATALOGUE.value("last_visit", "2026-11-23") == "23 November 2026"
        assert CATALOGUE.value("reno_area", "55.5") == "55.5 m²"
        assert CATALOGUE.value("house_grade", "D") == "D: whole building dangerous"
        assert CATALOGUE.value("geometry", "26.5 106.7 1000 5") == "26.50000, 106.70000 (±5 m)"
        assert CATALOGUE.value("hh_size", "4") == "4"
        assert CATALOGUE.value("income_year", "2026") == "2026"  # a year is not grouped
        assert CATALOGUE.value("hh_code", "DP-009") == "DP-009"
        assert CATALOGUE.name("not_known") == "not_known"


def test_a_label_never_unmasks_personal_data():
    with translation.override("en"):
        assert CATALOGUE.shown("has_serious_illness", "yes", reveal=False) == "****"
        assert CATALOGUE.shown("has_serious_illness", "yes", reveal=True) == "Yes"
        assert CATALOGUE.shown("head_phone", "13912345678", reveal=False) == "*******5678"
        row = CATALOGUE.rows({"has_chronic_illness": "no"}, reveal=False)[0]
        assert (row.label, row.value, row.sensitive) == (
            "a member has a chronic disease",
            "****",
            True,
        )


def test_rows_follow_the_catalogue_then_the_labels():
    with translation.override("en"):
        rows = CATALOGUE.rows(
            {"zeta": "1", "income_pc": "5", "hh_code": "A", "alpha": ""}, reveal=True
        )
    assert [row.key for row in rows] == ["hh_code", "income_pc", "alpha", "zeta"]


def test_flag_evidence_names_properties_and_the_columns_they_fill():
    with translation.override("zh-hans"):
        assert CATALOGUE.evidence("income_per_capita", 4300) == ("人均纯收入", "¥4,300")
        assert CATALOGUE.evidence("housing_status", "problem") == ("住房安全保障", "存在问题")
        assert CATALOGUE.evidence("distance_m", 812) == ("distance_m", 812)


def test_choice_values_come_from_the_published_visit_form(visit, project):
    # `last_outcome` is a calculate copying the `outcome` question: its choices name the values.
    english = property_labels(project, language="en")
    chinese = property_labels(project, language="zh-hans")
    assert english.value("last_outcome", "follow_up") == "Problem found, follow up"
    assert chinese.value("last_outcome", "follow_up") == "发现问题，需跟进"
    # The visit form asks it as a yes/no question: its own choice labels.
    assert chinese.value("has_chronic_illness", "no") == "否"
    assert english.value("has_chronic_illness", "no") == "No"


def test_a_property_only_a_form_knows_is_named_by_its_question(project, alice):
    form_publish(
        project=project, source=Upload("toilet.md", TOILET_FORM.encode()), published_by=alice
    )
    chinese = property_labels(project, language="zh-hans")
    assert (chinese.name("toilet"), chinese.value("toilet", "no")) == ("卫生厕所", "无")
    english = property_labels(project, language="en")
    assert (english.name("toilet"), english.value("toilet", "yes")) == (
        "Sanitary toilet",
        "Has one",
    )


def test_village_codes_read_as_the_registrys_village_names(project, village):
    labels = property_labels(project, villages=["demo-v01"], language="en")
    assert labels.value("village", "demo-v01") == "东坡村"
    assert labels.value("village", "elsewhere") == "elsewhere"


def test_the_properties_the_rules_read_have_labels_in_both_languages():
    from django.utils import translation

    from backend.households.label_catalogue import REGISTRY

    for name in ("labour_count", "spend_medical", "dropout_names", "pension_status"):
        with translation.override("zh-hans"):
            chinese = str(REGISTRY[name].label)
        with translation.override("en"):
            english = str(REGISTRY[name].label)
        assert chinese != english
        assert name not in english
