"""Each statistics table reconciles with a direct count of the same households, village by
village, with the townships' subtotals and the total adding up; only the selected year's
incomes are counted; each reader counts only the villages they see."""

import io
import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from backend.areas.models import Area, Level
from backend.casework.models import Case, CaseState, Kind
from backend.households.models import Household
from backend.statistics.models import VillagePopulation
from backend.statistics.queries import MEASURES, MONITORED, REGISTERED, RISKS
from backend.statistics.report import statistics_report
from backend.statistics.tables import TABLES

pytestmark = pytest.mark.django_db

YEAR = 2026
CATEGORIES = ["registered_poor", "exited", "ordinary", *MONITORED]


@pytest.fixture
def a2(townships):
    return Area.objects.create(
        code="520102", name="Village A2", level=Level.VILLAGE, parent=townships.a
    )


@pytest.fixture
def homes(project, townships, a2):
    """Two hundred households with every combination the tables tell apart."""
    rng = random.Random(7)
    villages = [townships.a1, a2, townships.b1]
    homes = []
    for n in range(200):
        category = rng.choice(CATEGORIES)
        eliminated = date(YEAR, 3, 1) if category in MONITORED and rng.random() < 0.3 else None
        properties = {
            "risk_types": " ".join(rng.sample(RISKS, rng.randint(0, 2))),
            "assistance_measures": " ".join(rng.sample(MEASURES, rng.randint(0, 3))),
            "dibao": rng.choice(["yes", "no"]),
            "extreme_poor": rng.choice(["yes", "no", ""]),
            "has_disabled": rng.choice(["yes", "no"]),
            "n_dropout_primary": rng.choice(["0", "1", "2", "", "x"]),
            "n_dropout_junior": rng.choice(["0", "1"]),
        }
        properties["n_dropout"] = str(
            sum(
                int(v)
                for v in (properties["n_dropout_primary"], properties["n_dropout_junior"])
                if v.isdigit()
            )
        )
        homes.append(
            Household.objects.create(
                project=project,
                code=f"S-{n:03}",
                label=f"S-{n:03}",
                village=rng.choice(villages),
                head_name="王",
                category=category,
                member_count=rng.randint(1, 6),
                income_year=rng.choice([YEAR, YEAR, YEAR - 1]),
                income_per_capita=Decimal(rng.choice([3000, 4400, 4500, 4800, 5000, 7000])),
                house_grade=rng.choice(["A", "B", "C", "D", ""]),
                helper=townships.worker_a if rng.random() < 0.7 else None,
                included_on=date(rng.choice([YEAR, YEAR - 1]), 5, 1)
                if category in MONITORED
                else None,
                risk_eliminated_on=eliminated,
                properties=properties,
            )
        )
    for village, people in ((townships.a1, 900), (a2, 700), (townships.b1, 1100)):
        VillagePopulation.objects.create(village=village, year=YEAR, population=people)
    return homes


def report(actor, project, key, year=YEAR):
    return statistics_report(actor=actor, project=project, table=TABLES[key], year=year)


def by_area(result):
    return {row.name: row.values for row in result.rows}


def expect(homes, village, count):
    return count([h for h in homes if h.village_id == village.pk])


def test_low_income_counts_the_years_incomes_the_registered_poor_apart(
    project, alice, homes, townships
):
    rows = by_area(report(alice, project, "low_income"))
    for line in (4500, 5000):

        def below(hs, poor, line=line):
            return [
                h for h in hs
                if h.income_year == YEAR and h.income_per_capita < line
                and (h.category in REGISTERED) == poor
            ]  # fmt: skip

        for village in (townships.a1, townships.b1):
            values = rows[village.name]
            assert values[f"poor_{line}_households"] == expect(
                homes, village, lambda hs: len(below(hs, True))
            )
            assert values[f"other_{line}_people"] == expect(
                homes, village, lambda hs: sum(h.member_count for h in below(hs, False))
            )
        assert rows["Total"][f"poor_{line}_people"] == sum(
            h.member_count for h in below(homes, True)
        )


def test_subtotals_and_the_total_add_up_the_villages(project, alice, homes, townships, a2):
    result = report(alice, project, "low_income")
    rows = by_area(result)
    assert [row.name for row in result.rows] == [
        "Village A1", "Village A2", "Township A, subtotal", "Village B1", "Township B, subtotal",
        "Total",
    ]  # fmt: skip
    for key, value in rows["Township A, subtotal"].items():
        assert value == rows["Village A1"][key] + rows["Village A2"][key]
    for key, value in rows["Total"].items():
        assert value == rows["Township A, subtotal"][key] + rows["Township B, subtotal"][key]


def test_causes_count_each_recorded_risk_of_the_households_below_5000(
    project, alice, homes, townships
):
    rows = by_area(report(alice, project, "low_income_causes"))
    below = [h for h in homes if h.income_year == YEAR and h.income_per_capita < 5000]
    for risk in RISKS:
        assert rows["Total"][f"risk_{risk}"] == sum(
            risk in h.properties["risk_types"].split() for h in below
        )
    assert rows["Total"]["risk_unrecorded"] == sum(not h.properties["risk_types"] for h in below)
    assert rows["Total"]["households"] == len(below)


def test_incidence_divides_the_poor_by_the_registered_population(project, alice, homes, townships):
    rows = by_area(report(alice, project, "incidence"))
    poor = expect(
        homes,
        townships.a1,
        lambda hs: sum(h.member_count for h in hs if h.category == "registered_poor"),
    )
    assert rows["Village A1"]["poor_people"] == poor
    assert rows["Village A1"]["incidence"] == (Decimal(poor) * 100 / 900).quantize(Decimal("0.01"))
    total_poor = sum(h.member_count for h in homes if h.category == "registered_poor")
    assert rows["Total"]["incidence"] == (Decimal(total_poor) * 100 / 2700).quantize(
        Decimal("0.01")
    )
    at_risk = sum(
        h.member_count for h in homes if h.category in MONITORED and h.risk_eliminated_on is None
    )
    assert rows["Total"]["at_risk_people"] == at_risk


def test_dropouts_count_children_by_school_and_ignore_odd_answers(project, alice, homes):
    rows = by_area(report(alice, project, "dropouts"))

    def number(h, key):
        text = h.properties[key]
        return int(text) if text.isdigit() else 0

    assert rows["Total"]["primary"] == sum(number(h, "n_dropout_primary") for h in homes)
    assert rows["Total"]["junior"] == sum(number(h, "n_dropout_junior") for h in homes)
    assert rows["Total"]["households_with"] == sum(
        1 for h in homes if number(h, "n_dropout_primary") or number(h, "n_dropout_junior")
    )


def test_coverage_of_helpers_and_measures(project, alice, homes):
    rows = by_area(report(alice, project, "coverage"))
    assisted = [h for h in homes if h.category != "ordinary"]
    total = rows["Total"]
    assert total["households"] == len(assisted)
    assert total["with_helper"] == sum(h.helper_id is not None for h in assisted)
    assert total["with_measure"] == sum(bool(h.properties["assistance_measures"]) for h in assisted)
    for measure in MEASURES:
        assert total[f"measure_{measure}"] == sum(
            measure in h.properties["assistance_measures"].split() for h in assisted
        )
    assert total["helper_share"] == (Decimal(total["with_helper"]) * 100 / len(assisted)).quantize(
        Decimal("0.01")
    )


def test_dangerous_houses_of_the_four_priority_groups(project, alice, homes):
    total = by_area(report(alice, project, "priority_houses"))["Total"]
    dangerous = [h for h in homes if h.house_grade in ("C", "D")]
    groups = {
        "registered": lambda h: h.category in REGISTERED,
        "dibao": lambda h: h.properties["dibao"] == "yes",
        "extreme_poor": lambda h: h.properties["extreme_poor"] == "yes",
        "disabled": lambda h: h.properties["has_disabled"] == "yes",
    }
    for group, member in groups.items():
        for grade in ("C", "D"):
            assert total[f"{group}_{grade}"] == sum(
                member(h) and h.house_grade == grade for h in dangerous
            )
    assert total["households"] == sum(any(m(h) for m in groups.values()) for h in dangerous)


def test_monitoring_objects_by_category_with_their_dates(project, alice, homes):
    total = by_area(report(alice, project, "monitoring"))["Total"]
    for category in MONITORED:
        assert total[f"{category}_households"] == sum(h.category == category for h in homes)
    monitored = [h for h in homes if h.category in MONITORED]
    assert total["included"] == sum(h.included_on.year == YEAR for h in monitored)
    assert total["eliminated"] == sum(h.risk_eliminated_on is not None for h in monitored)


def test_returns_and_new_count_the_years_approvals(project, alice, homes, townships):
    def approved(home, kind, year, category=""):
        Case.objects.create(
            project=project, household=home, kind=kind, category=category,
            state=CaseState.APPROVED, closed_at=datetime(year, 6, 1, tzinfo=UTC),
        )  # fmt: skip

    approved(homes[0], Kind.RETURN_TO_POVERTY, YEAR, "monitor_unstable")
    approved(homes[1], Kind.INCLUSION, YEAR, "monitor_sudden")
    approved(homes[2], Kind.INCLUSION, YEAR - 1, "monitor_marginal")
    total = by_area(report(alice, project, "returns_and_new"))["Total"]
    assert (total["returned_households"], total["returned_people"]) == (1, homes[0].member_count)
    assert (
        total["new_households"],
        total["new_monitor_sudden"],
        total["new_monitor_marginal"],
    ) == (1, 1, 0)


def test_a_township_counts_only_its_villages(project, homes, townships):
    result = report(townships.supervisor_b, project, "low_income")
    assert [row.name for row in result.rows] == ["Village B1", "Township B, subtotal", "Total"]


def test_the_page_the_api_and_the_workbook_show_the_same_numbers(project, alice, homes):
    client = Client()
    client.force_login(alice)
    expected = by_area(report(alice, project, "coverage"))["Total"]

    page = client.get("/p/demo/statistics/", {"table": "coverage", "year": YEAR})
    assert page.status_code == 200
    assert page.context["report"].total.values == expected

    body = client.get(f"/api/v1/projects/demo/statistics/tables/coverage?year={YEAR}").json()
    assert body["rows"][-1]["values"]["with_helper"] == expected["with_helper"]
    assert body["table"]["quote"].startswith("帮扶责任人")

    book = client.get(f"/api/v1/projects/demo/statistics/tables/coverage?year={YEAR}&format=xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    last = [cell.value for cell in sheet[sheet.max_row]]
    keys = [column.key for column in TABLES["coverage"].columns]
    assert last[2 + keys.index("with_helper")] == expected["with_helper"]
    assert sheet["A1"].value == f"Assistance measures and helpers, {YEAR}"


def test_bad_requests_are_refused_plainly(project, alice, homes):
    client = Client()
    client.force_login(alice)
    assert client.get("/api/v1/projects/demo/statistics/tables/nope").status_code == 404
    assert (
        client.get("/api/v1/projects/demo/statistics/tables/coverage?year=1800").status_code == 400
    )
    assert client.get("/p/demo/statistics/", {"year": "1800"}).status_code == 400
