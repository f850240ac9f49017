"""The cases workbook: one row per case the requester sees, in their language, and a summary
by kind, state and level that agrees with a direct count."""

import io
from datetime import timedelta

import pytest
from django.utils import translation
from openpyxl import load_workbook

from backend.casework.models import Case, Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import approve, household
from tests.exports.conftest import content
from tests.exports.conftest import run_export as run_export  # a fixture, used by name

pytestmark = pytest.mark.django_db


def _open(world, code, village=None):
    return case_open(
        household=household(world, code, village=village),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        reason="收入骤减",
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )


def sheets(export):
    book = load_workbook(io.BytesIO(content(export)))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def test_the_workbook_lists_each_case_with_labels_and_sums_them_up(world, run_export, fixed_clock):
    first = _open(world, "X-1")
    approve(world, first, fixed_clock)  # on to the village appraisal
    _open(world, "X-2", village=world.places.b1)
    fixed_clock.shift(timedelta(days=10))  # both past their steps' due dates
    with translation.override("zh-hans"):
        export = run_export(world.county, world.project, "cases_xlsx")
    assert export.state == "done", export.error
    cases, summary = sheets(export)
    assert cases[0][:3] == ["事项编号", "户编码", "农户"]
    assert [row[1] for row in cases[1:]] == ["X-1", "X-2"]
    row = cases[1]
    assert row[5:10] == ["纳入监测对象", "监测对象：边缘易致贫户", "办理中", "村民主评议", "行政村"]
    assert row[12] == "是"
    assert (row[10], row[11], row[13]) == ("2026-12-07", "2026-12-14", None)
    assert summary[0] == ["类型", "状态", "级别", "事项", "逾期"]
    assert summary[1:] == [["纳入监测对象", "办理中", "行政村", 2, 2]]
    assert sum(r[3] for r in summary[1:]) == Case.objects.count()


def test_a_township_exports_only_its_villages_cases(world, run_export):
    _open(world, "Y-1")
    _open(world, "Y-2", village=world.places.b1)
    export = run_export(world.places.supervisor_a, world.project, "cases_xlsx")
    cases, summary = sheets(export)
    assert [row[1] for row in cases[1:]] == ["Y-1"]
    assert summary[1][3] == 1
