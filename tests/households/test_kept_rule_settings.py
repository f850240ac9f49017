"""What the rules read on every household (the project's rules, its lines, its risk weights, the
newest department files, a village's ancestry) is read once and kept; any change, in this
process or another, is seen by the very next run, and nothing a rolled-back change showed is
kept."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction

from backend.areas.ancestry import area_and_ancestors
from backend.areas.lists import AREAS_GENERATION
from backend.areas.models import Area, Level
from backend.crosscheck.facts import latest_imports
from backend.crosscheck.models import DepartmentImport
from backend.flags.models import RiskWeight
from backend.flags.risk import project_weights
from backend.monitoring.engine import household_rules_apply, project_rules
from backend.monitoring.lines import project_lines
from backend.monitoring.models import IncomeLine, MonitoringRule
from backend.monitoring.signals import rules_generation
from tests.households.registry import open_codes, register

# Committed for real: a change is announced to the other processes when its transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

OWN_RULE = {
    "code": "medical_costs_high",
    "severity": "warning",
    "condition": {"gt": [{"fact": "spend_medical"}, {"param": "limit"}]},
    "params": {"limit": 10000},
    "label_en": "High medical costs",
}


@pytest.fixture(autouse=True)
def _still_clock():
    """No time passes: whatever is seen fresh was not seen because something expired."""
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        yield


def _codes(project) -> set[str]:
    return {rule.code for rule in project_rules(project)}


def test_a_second_run_reads_none_of_them(project, village, django_assert_num_queries):
    department_import(project)
    reads = (
        lambda: project_rules(project),
        lambda: project_lines(project.pk),
        lambda: project_weights(project),
        lambda: latest_imports(project.pk),
        lambda: area_and_ancestors(village.pk),
    )
    for read in reads:
        read()
    with django_assert_num_queries(0):
        for read in reads:
            read()
    township = village.parent
    assert area_and_ancestors(village.pk) == (village.pk, township.pk, township.parent_id)


def test_a_changed_rule_is_applied_by_the_very_next_run(project, village):
    household = register(project, village, spend_medical="23500")
    rule = MonitoringRule.objects.create(project=project, **OWN_RULE)
    household_rules_apply(household=household)
    assert "medical_costs_high" in open_codes(household)

    rule.active = False
    rule.save()
    household_rules_apply(household=household)

    assert "medical_costs_high" not in open_codes(household)


def test_each_kept_setting_is_read_again_after_a_change(project, village):
    first_file = department_import(project)
    assert project_lines(project.pk) == []
    assert project_weights(project) == {}
    assert latest_imports(project.pk) == [first_file.pk]

    IncomeLine.objects.create(project=project, year=2026, area=village, amount=Decimal("7000"))
    RiskWeight.objects.create(project=project, code="income_below_line", weight=30)
    newer_file = department_import(project)

    assert project_lines(project.pk) == [(2026, village.pk, Decimal("7000.00"))]
    assert project_weights(project) == {"income_below_line": 30}
    assert latest_imports(project.pk) == [newer_file.pk]


def test_a_village_moved_to_another_township_has_its_new_ancestry(village):
    before = area_and_ancestors(village.pk)
    other = Area.objects.create(code="t2", name="T2", level=Level.TOWNSHIP, parent_id=before[-1])

    village.parent = other
    village.save()

    assert area_and_ancestors(village.pk) == (village.pk, other.pk, before[-1])


def test_a_change_another_process_announced_is_seen_at_once(project, village):
    MonitoringRule.objects.create(project=project, **OWN_RULE)
    assert "medical_costs_high" in _codes(project)
    county = area_and_ancestors(village.pk)[-1]
    other = Area.objects.create(code="t2", name="T2", level=Level.TOWNSHIP, parent_id=county)
    assert area_and_ancestors(village.pk) == (village.pk, village.parent_id, county)

    # Another process changes the rows and bumps the shared generation; this one read the
    # generation a moment ago, and must not go on with what it kept under it.
    MonitoringRule.objects.filter(project=project).update(active=False)
    Area.objects.filter(pk=village.pk).update(parent=other)
    for scope in (rules_generation(project.pk), AREAS_GENERATION):
        cache.set(f"generation:{scope}", f"bumped-elsewhere-{scope}", None)

    assert "medical_costs_high" not in _codes(project)
    assert area_and_ancestors(village.pk) == (village.pk, other.pk, county)


def test_what_a_rolled_back_change_showed_is_not_kept(project):
    rule = MonitoringRule.objects.create(project=project, **OWN_RULE)
    seen_inside = []

    def change_that_fails() -> None:
        with transaction.atomic():
            rule.active = False
            rule.save()
            seen_inside.append(_codes(project))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert "medical_costs_high" not in seen_inside[0]  # the transaction saw its change
    assert "medical_costs_high" in _codes(project)


def department_import(project) -> DepartmentImport:
    return DepartmentImport.objects.create(
        project=project, department="civil_affairs", file_name="f.csv", data_date=date(2026, 11, 1)
    )
