"""The rectification ledger reported: the dashboard counts the items by township, village and
department with those past their deadline in red, the workbook lists them by village and by
department in the documents' layout (the overdue rows in red), and the case page shows an item,
a village's own included. The status cases' account counts none of them."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.utils import translation
from django.utils.timezone import localdate
from openpyxl import load_workbook

from backend.casework.ledger_overview import rectification_overview
from backend.casework.overview import case_overview
from backend.casework.rectification import (
    Assignment,
    rectification_open_for_flag,
    rectification_open_for_village,
)
from backend.monitoring.engine import household_rules_apply
from tests.casework.conftest import household
from tests.casework.pages import case_url, shown, signed_in
from tests.exports.conftest import content
from tests.exports.conftest import run_export as run_export  # a fixture, used by name

pytestmark = pytest.mark.django_db


def assignment(deadline, department=""):
    return Assignment(
        measure="加固维修",
        responsible_unit="乡住建所",
        responsible_person="张工",
        deadline=deadline,
        department=department,
    )


@pytest.fixture
def items(world, fixed_clock):
    """An unsafe house in A1 handed to housing, due in a week; a clinic problem in B1 due at
    the end of the year; then the clock moves past the first deadline only."""
    home = household(world, "RR-1", house_grade="D")
    household_rules_apply(household=home)
    house, _ = rectification_open_for_flag(
        flag=home.flags.get(code="house_unsafe"),
        actor=world.county,
        assignment=assignment(date(2026, 12, 14), "housing"),
    )
    clinic = rectification_open_for_village(
        project=world.project,
        village=world.places.b1,
        actor=world.county,
        problem="村卫生室无合格村医",
        assignment=assignment(date(2026, 12, 31), "medical"),
    )
    fixed_clock.move_to(date(2026, 12, 20))
    return house, clinic


def test_the_overview_counts_by_area_and_department_and_lists_the_overdue(world, items):
    house, _clinic = items
    overview = rectification_overview(actor=world.county, project=world.project, today=localdate())
    assert (overview.total.open, overview.total.overdue, overview.total.struck_off) == (2, 1, 0)
    assert [(t.tally.name, t.tally.open, t.tally.overdue) for t in overview.townships] == [
        ("Township A", 1, 1),
        ("Township B", 1, 0),
    ]
    assert [(d.name, d.open, d.overdue) for d in overview.departments] == [
        ("Health commission (clinics)", 1, 0),
        ("Housing", 1, 1),
    ]
    assert [row.case for row in overview.overdue] == [house]
    # Items are not status cases.
    assert case_overview(actor=world.county, project=world.project, today=localdate()).kinds == []
    township_b = rectification_overview(
        actor=world.places.admin_b, project=world.project, today=localdate()
    )
    assert (township_b.total.open, township_b.total.overdue, township_b.overdue) == (1, 0, [])


def test_the_dashboard_shows_the_overdue_item_in_red(world, items):
    page = signed_in(world.county, "zh-hans").get("/p/demo/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'class="big danger" id="tile-items-overdue">\s*1<', html)
    overdue = html.split('id="items-overdue"')[1].split("</table>")[0]
    assert "RR-1" in overdue
    assert 'class="danger">2026年12月14日' in overdue
    assert "住建部门" in html
    assert "超过完成时限" in html


def test_the_workbook_lists_the_items_by_village_and_by_department_overdue_in_red(
    world, items, run_export
):
    house, clinic = items
    with translation.override("zh-hans"):
        export = run_export(world.county, world.project, "rectifications_xlsx")
    assert export.state == "done", export.error
    data = content(export)
    book = load_workbook(io.BytesIO(data))
    by_village, by_department = (
        [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets
    )
    assert len(by_village) == len(by_department) == 3
    first = by_village[1]
    assert first[:3] == ["Township A", "Village A1", house.pk]
    assert first[5:8] == ["加固维修", "乡住建所", "张工"]
    assert (first[9], first[11]) == ("2026-12-14", "是")
    assert by_village[2][:5] == ["Township B", "Village B1", clinic.pk, None, "村卫生室无合格村医"]
    assert by_village[2][11] is None
    # The overdue row is written in the red style.
    sheet = book.worksheets[0]
    assert sheet.cell(row=2, column=1).font.color.rgb == "FFC00000"
    assert sheet.cell(row=3, column=1).font.color is None
    assert "FFC00000" in zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()


def test_a_township_exports_only_its_items(world, items, run_export):
    export = run_export(world.places.supervisor_a, world.project, "rectifications_xlsx")
    by_village = load_workbook(io.BytesIO(content(export))).worksheets[0]
    assert [row[2] for row in by_village.iter_rows(min_row=2, values_only=True)] == [items[0].pk]


def test_the_case_page_shows_a_village_item(world, items):
    _house, clinic = items
    page = signed_in(world.places.admin_b).get(case_url(clinic))
    assert page.status_code == 200
    text = shown(page)
    assert "Village B1" in text
    assert "Rectification by the responsible party" in text
    assert "村卫生室无合格村医" in text
    queue = signed_in(world.county).get("/p/demo/cases/")
    assert queue.status_code == 200
    assert signed_in(world.places.supervisor_a).get(case_url(clinic)).status_code == 404


def test_a_ledger_deadline_in_the_past_is_overdue_a_day_later(world, items, fixed_clock):
    fixed_clock.move_to(date(2027, 1, 1))
    overview = rectification_overview(actor=world.county, project=world.project, today=localdate())
    assert overview.total.overdue == 2
    assert localdate() - timedelta(days=1) == date(2026, 12, 31)
