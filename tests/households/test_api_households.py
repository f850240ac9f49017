import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from backend.flags.models import FlagState
from backend.households.models import Conflict, Household
from backend.households.services import household_register
from backend.monitoring.engine import household_rules_apply
from tests.households.entity_forms import register_xml, send, visit_xml


@pytest.fixture
def homes(project, village, bob):
    made = []
    for code, income, category in (
        ("A-1", "3000", "monitor_marginal"),
        ("A-2", "8000", "exited"),
        ("A-3", "4600", "exited"),
    ):
        household = household_register(
            project=project,
            code=code,
            label=code,
            village=village,
            helper=bob,
            properties={
                "head_name": "某",
                "village": village.code,
                "income_pc": income,
                "category": category,
                "house_grade": "C" if code == "A-1" else "A",
            },
        )
        household_rules_apply(household=household)
        made.append(household)
    return made


def url(name, **kwargs):
    return reverse(f"api:{name}", kwargs={"slug": "demo", **kwargs})


def test_supervisor_lists_households_with_open_flags(client, sam, homes):
    client.force_login(sam)

    body = client.get(url("list_households")).json()

    assert [h["code"] for h in body["results"]] == ["A-1", "A-2", "A-3"]
    first = body["results"][0]
    assert first["open_flags"] == ["house_unsafe", "income_below_line"]
    assert first["village"] == "demo-v01"
    assert body["next"] is None


def test_filters_and_cursor_pages(client, sam, homes):
    client.force_login(sam)

    flagged = client.get(url("list_households"), {"flag": "income_below_line"}).json()
    exited = client.get(url("list_households"), {"category": "exited"}).json()
    page = client.get(url("list_households"), {"page_size": 2}).json()
    rest = client.get(page["next"].removeprefix("http://testserver")).json()

    assert [h["code"] for h in flagged["results"]] == ["A-1", "A-3"]
    assert [h["code"] for h in exited["results"]] == ["A-2", "A-3"]
    assert [h["code"] for h in page["results"]] + [h["code"] for h in rest["results"]] == [
        "A-1",
        "A-2",
        "A-3",
    ]


def test_detail_shows_versions_with_changes_and_flags(client, sam, collect, forms, village):
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    send(collect, visit_xml(entity, 1, size=5, income=3100))
    client.force_login(sam)

    body = client.get(url("get_household", household_id=entity)).json()

    assert body["household"]["version"] == 2
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert body["versions"][1]["changes"]["hh_size"] == ["3", "5"]
    assert body["versions"][1]["received"] == {"hh_size": "5", "income_pc": "3100"}
    assert body["versions"][1]["actor"] == "bob"
    assert [f["code"] for f in body["flags"]] == ["income_below_line"]
    assert body["flags"][0]["label"] == "Per-capita income below the monitoring line"


def test_supervisor_resolves_a_conflict(client, sam, collect, forms, village):
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    send(collect, visit_xml(entity, 1, size=5))
    send(collect, visit_xml(entity, 1, size=6))
    client.force_login(sam)
    assert (
        client.get(url("list_households"), {"conflict": True}).json()["results"][0]["conflict"]
        == "hard"
    )

    response = client.post(
        url("resolve_household_conflict", household_id=entity),
        {"note": "核实为6人"},
        content_type="application/json",
    )

    assert response.status_code == 200
    household = Household.objects.get(uuid=entity)
    assert (household.conflict, household.conflict_resolved_by, household.conflict_note) == (
        Conflict.NONE,
        sam,
        "核实为6人",
    )


def test_flags_list_and_clear_with_a_note(client, sam, homes):
    client.force_login(sam)
    flags = client.get(url("list_flags"), {"code": "house_unsafe"}).json()["results"]
    (flag,) = flags

    missing_note = client.post(
        url("clear_flag", flag_id=flag["id"]), {"note": " "}, content_type="application/json"
    )
    cleared = client.post(
        url("clear_flag", flag_id=flag["id"]), {"note": "已复核"}, content_type="application/json"
    )

    assert missing_note.status_code == 400
    assert cleared.status_code == 200
    assert cleared.json()["state"] == FlagState.CLOSED
    assert client.get(url("list_flags"), {"code": "house_unsafe"}).json()["results"] == []


def test_statistics_by_village_as_json_and_xlsx(client, sam, homes):
    client.force_login(sam)

    (row,) = client.get(url("village_table")).json()
    book = client.get(url("village_table"), {"format": "xlsx", "lines": "5000,9000"})

    assert row["households"] == 3
    assert (row["below_4000"], row["below_4500"], row["below_5000"]) == (1, 1, 2)
    assert row["below_8000"] == 2  # a township's exit line
    assert row["category_exited"] == 2
    assert (row["flag_income_below_line"], row["flag_house_unsafe"]) == (2, 1)
    sheet = load_workbook(io.BytesIO(book.content)).active
    header, values = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:3] == ["Village code", "Village", "Households"]
    assert dict(zip(header, values, strict=True))["Income below 9000 yuan"] == 3


def test_a_screening_table_counts_the_incomes_of_one_year(client, sam, homes):
    client.force_login(sam)
    Household.objects.filter(code__in=["A-1", "A-2"]).update(income_year=2025)
    Household.objects.filter(code="A-3").update(income_year=2026)

    (row,) = client.get(url("village_table"), {"income_year": 2025}).json()

    assert row["households"] == 2
    assert (row["below_4000"], row["below_5000"], row["below_8000"]) == (1, 1, 1)


@pytest.mark.parametrize("lines", ["abc", "-1", "NaN", ",".join(["1"] * 11)])
def test_bad_income_lines_are_400(client, sam, homes, lines):
    client.force_login(sam)

    assert client.get(url("village_table"), {"lines": lines}).status_code == 400


def test_field_worker_and_outsider_are_refused(client, bob, mallory, homes):
    client.force_login(bob)
    assert client.get(url("list_households")).status_code == 403
    client.force_login(mallory)
    assert client.get(url("list_households")).status_code == 404
    assert client.get(url("get_household", household_id=str(homes[0].uuid))).status_code == 404
    assert client.get(url("village_table")).status_code == 404


def test_supervisor_of_another_area_cannot_see_a_household(client, sam, homes, project):
    from backend.areas.models import Area, Level
    from backend.projects.models import Membership

    far = Area.objects.create(
        code="far", name="F", level=Level.VILLAGE, parent=homes[0].village.parent
    )
    Membership.objects.get(project=project, user=sam).areas.set([far])
    client.force_login(sam)

    assert client.get(url("get_household", household_id=str(homes[0].uuid))).status_code == 404
    assert client.get(url("list_households")).json()["results"] == []
