"""The zero-out table of dangerous houses reconciles with a direct count of the same houses and
renovations, village by village; the page, the API and the workbook show the same numbers."""

import io
import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from backend.casework.models import Case, CaseState, Kind, Renovation
from backend.statistics.tables import TABLES
from tests.statistics.test_tables import YEAR, by_area, report
from tests.statistics.test_tables import a2 as a2  # a fixture, used by name
from tests.statistics.test_tables import homes as homes  # a fixture, used by name

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # the fixed clock's day
STATES = [CaseState.OPEN, CaseState.APPROVED, CaseState.REJECTED]


@pytest.fixture
def renovations(project, homes, fixed_clock):
    """Renovations on a third of the houses, dangerous or not, in every state and stage."""
    rng = random.Random(11)
    made = []
    for home in rng.sample(homes, 70):
        state = rng.choice(STATES)
        case = Case.objects.create(
            project=project,
            household=home,
            kind=Kind.RENOVATION,
            state=state,
            step="during" if state == CaseState.OPEN else "",
            level="village" if state == CaseState.OPEN else "",
            closed_at=None if state == CaseState.OPEN else datetime(YEAR, 10, 1, tzinfo=UTC),
        )
        accepted = state == CaseState.APPROVED
        paid = accepted and rng.random() < 0.5
        made.append(
            Renovation.objects.create(
                case=case,
                move_in_by=rng.choice([None, date(2026, 11, 30), date(2027, 3, 31)]),
                moved_in_on=date(2026, 11, 1) if accepted and rng.random() < 0.5 else None,
                subsidy_amount=Decimal(30000) if paid else None,
                paid_on=date(2026, 11, 15) if paid else None,
            )
        )
    return made


def _direct(homes, renovations):
    """The same numbers counted in Python from the rows."""
    live = {}
    for renovation in renovations:
        if renovation.case.state != CaseState.REJECTED:
            live.setdefault(renovation.case.household_id, []).append(renovation)
    rows = {}
    for home in homes:
        mine = live.get(home.pk, [])
        if home.house_grade not in ("C", "D") and not mine:
            continue
        accepted = any(r.case.state == CaseState.APPROVED for r in mine)
        priority = (
            home.category in ("registered_poor", "exited", "monitor_unstable")
            or home.properties["dibao"] == "yes"
            or home.properties["extreme_poor"] == "yes"
            or home.properties["has_disabled"] == "yes"
        )
        row = rows.setdefault(home.village.name, {})
        for key, yes in {
            "dangerous": True,
            "priority": priority,
            "not_started": not mine,
            "under_way": any(r.case.state == CaseState.OPEN for r in mine),
            "accepted": accepted,
            "remaining": not accepted,
            "priority_remaining": priority and not accepted,
            "moved_in": any(r.moved_in_on for r in mine),
            "move_in_late": any(
                r.moved_in_on is None and r.move_in_by and r.move_in_by < TODAY for r in mine
            ),
            "paid": any(r.paid_on for r in mine),
        }.items():
            row[key] = row.get(key, 0) + int(bool(yes))
    return rows


def test_the_zero_out_table_reconciles_with_a_direct_count(project, alice, homes, renovations):
    rows = by_area(report(alice, project, "renovation_zero_out"))
    direct = _direct(homes, renovations)
    for village, numbers in direct.items():
        for key, value in numbers.items():
            assert rows[village][key] == value, (village, key)
    total = rows["Total"]
    assert total["dangerous"] == sum(numbers["dangerous"] for numbers in direct.values())
    assert total["cleared_share"] == (
        Decimal(total["accepted"]) * 100 / total["dangerous"]
    ).quantize(Decimal("0.01"))


def test_a_township_counts_only_its_villages_houses(project, homes, renovations, townships):
    rows = by_area(report(townships.supervisor_b, project, "renovation_zero_out"))
    assert set(rows) == {"Village B1", "Township B, subtotal", "Total"}
    assert rows["Total"]["dangerous"] == _direct(homes, renovations)["Village B1"]["dangerous"]


def test_the_page_the_api_and_the_workbook_agree(project, alice, homes, renovations):
    expected = by_area(report(alice, project, "renovation_zero_out"))["Total"]
    client = Client()
    client.force_login(alice)
    page = client.get("/p/demo/statistics/", {"table": "renovation_zero_out", "year": YEAR})
    assert page.status_code == 200
    assert page.context["report"].total.values == expected
    api = client.get(f"/api/v1/projects/demo/statistics/tables/renovation_zero_out?year={YEAR}")
    assert api.json()["rows"][-1]["values"]["accepted"] == expected["accepted"]
    book = client.get(
        f"/api/v1/projects/demo/statistics/tables/renovation_zero_out?year={YEAR}&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(book.content)).active
    last = [cell.value for cell in sheet[sheet.max_row]]
    keys = [column.key for column in TABLES["renovation_zero_out"].columns]
    assert last[2 + keys.index("dangerous")] == expected["dangerous"]
    assert last[2 + keys.index("move_in_late")] == expected["move_in_late"]
