"""The dashboard (backend/households/dashboard.py, dashboard_views.py), on the review scenario
of this folder's conftest.py."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backend.flags.models import Flag
from backend.households.dashboard import dashboard_lines
from backend.households.derived import household_moved
from backend.households.models import Category, Household
from backend.submissions.models import Submission
from backend.web.charts import bar_chart, nice_ceiling

URL = reverse("households:dashboard", args=["demo"])
# Session, user, project and role, the words of the project's own rules, the years of the incomes
# (with the viewer's areas), then one aggregate query per table or tile; the cases read the
# viewer's scope again (backend/casework/access.py) and count in one grouped query, and so do
# the rectification items (their overdue ones listed only when there are some); the households
# with open flags are counted in one query.
QUERIES = 26


def test_counts_flags_overdue_and_submissions_per_day(client: Client, sam, flagged, homes):
    Household.objects.filter(pk=homes["west"].pk).update(
        category=Category.MONITOR_MARGINAL,
        last_visit_at=timezone.now() - timedelta(days=400),
    )
    Household.objects.filter(pk=homes["east"].pk).update(last_visit_at=timezone.now())
    client.force_login(sam)
    response = client.get(URL)
    assert response.status_code == 200
    data = response.context["data"]
    assert data.households == 2
    categories = {row.key: row.count for row in data.categories}
    assert categories[Category.MONITOR_MARGINAL] == 1
    assert sum(categories.values()) == 2
    flags = {row.key: row.count for row in data.flags}
    assert flags["house_unsafe"] == 2
    assert flags["photo_duplicate"] == 1
    assert data.overdue == 1
    assert [h.code for h in data.most_overdue] == ["W-1"]
    by_village = {row["village"]: row for row in data.villages}
    assert (by_village["demo-v01"]["overdue"], by_village["demo-v02"]["overdue"]) == (0, 1)
    assert by_village["demo-v01"]["flag_photo_duplicate"] == 1
    assert len(data.per_day) == 30
    assert data.per_day[-1] == (timezone.localdate(), 2)
    chart = response.context["chart"]
    assert chart.total == 2
    content = response.content.decode()
    assert content.count('class="bar"') == 30
    assert 'data-value="2"' in content
    assert "西河村" in content


def test_open_flags_move_with_their_household(client: Client, sam, flagged, homes, areas):
    east = homes["east"]
    east.village = areas["west"]  # an admin corrects the village (HouseholdAdmin.save_model)
    east.save()
    household_moved(east)
    assert Submission.objects.get(pk=flagged["risky"].pk).village_id == areas["west"].pk
    assert set(Flag.objects.filter(household=east).values_list("village", flat=True)) == {
        areas["west"].pk
    }
    client.force_login(sam)
    data = client.get(URL).context["data"]
    assert [(row["village"], row["households"]) for row in data.villages] == [("demo-v02", 2)]
    assert data.villages[0]["flag_photo_duplicate"] == 1
    assert {row.key: row.count for row in data.flags}["photo_duplicate"] == 1


def test_village_filter(client: Client, sam, flagged, areas):
    client.force_login(sam)
    data = client.get(URL, {"village": areas["east"].pk}).context["data"]
    assert data.households == 1
    assert [row["village"] for row in data.villages] == ["demo-v01"]
    assert sum(n for _day, n in data.per_day) == 1


def test_township_supervisor_sees_only_their_villages(
    client: Client, east_supervisor, flagged, areas
):
    client.force_login(east_supervisor)
    response = client.get(URL)
    data = response.context["data"]
    assert data.households == 1
    assert [row["village_name"] for row in data.villages] == ["东坡村"]
    assert "西河村" not in response.content.decode()
    assert sum(n for _day, n in data.per_day) == 1
    refused = client.get(URL, {"village": areas["west"].pk})
    assert refused.status_code == 400
    assert refused.context["data"].households == 1


def test_xlsx_link_downloads_the_statistics_table(client: Client, sam, flagged, project):
    client.force_login(sam)
    link = client.get(URL).context["xlsx_url"]
    assert "lines=4000%2C4500%2C5000%2C6000" in link
    response = client.get(link)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Income below 6000 yuan" in header
    assert sheet.max_row == 3


def test_numbers_and_dates_follow_the_language(client: Client, fixed_clock, sam, flagged, homes):
    village = homes["east"].village
    Household.objects.bulk_create(
        Household(
            project=village.households.first().project,
            code=f"X-{i}",
            label="x",
            village=village,
            head_name="x",
        )
        for i in range(1500)
    )
    client.force_login(sam)
    english = client.get(URL).content.decode()
    assert 'id="tile-households">1,502<' in english
    # English writes the short date month first, both padded to two digits.
    assert "7 December 2026" in english
    client.cookies.load({"django_language": "zh-hans"})
    chinese = client.get(URL).content.decode()
    assert "按类别统计户数" in chinese
    # Chinese groups no thousands and writes dates as 2026年11月23日.
    assert 'id="tile-households">1502<' in chinese
    assert "2026年12月7日" in chinese


def test_collectors_are_refused_and_strangers_see_nothing(client: Client, bob, mallory, flagged):
    client.force_login(bob)
    assert client.get(URL).status_code == 403
    client.force_login(mallory)
    assert client.get(URL).status_code == 404


def test_lines_include_the_projects_monitoring_line(project):
    project.monitoring_line = Decimal("4500.00")
    assert dashboard_lines(project) == [Decimal(4000), Decimal(4500), Decimal(5000), Decimal(8000)]


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (450, 500)]
)
def test_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_bar_chart_scales_to_the_ceiling():
    chart = bar_chart([("a", 0), ("b", 5), ("c", 10)], width=140, height=134)
    assert [bar.height for bar in chart.bars] == [0, 50, 100]
    assert chart.bars[2].y == chart.baseline - 100
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]
    assert [bar.key for bar in chart.labelled] == ["a", "b", "c"]
    assert bar_chart([]).bars == []


def test_query_count_does_not_grow_with_households(
    client: Client, sam, flagged, homes, django_assert_max_num_queries
):
    village = homes["east"].village
    Household.objects.bulk_create(
        Household(
            project=village.households.first().project,
            code=f"Q-{i}",
            label="q",
            village=village,
            head_name="q",
            last_visit_at=None,
        )
        for i in range(300)
    )
    client.force_login(sam)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_flags_their_households_village(flagged, homes):
    Flag.objects.update(village=None)
    executor = MigrationExecutor(connection)
    executor.migrate([("flags", "0003_open_flags_by_household")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    pairs = set(Flag.objects.values_list("household__village", "village"))
    assert (homes["east"].village_id,) * 2 in pairs
    assert all(household == flag for household, flag in pairs)


def test_closing_a_flag_does_not_read_its_household(flagged, django_assert_num_queries):
    flag = Flag.objects.get(code="photo_duplicate")  # as the evidence checks load it
    flag.state = "closed"
    with django_assert_num_queries(1):
        flag.save(update_fields=["state", "updated_at"])
    flag.refresh_from_db()
    assert flag.village_id == flag.household.village_id


def test_an_income_year_limits_the_screening_table_and_its_download(
    client: Client, sam, flagged, homes
):
    Household.objects.filter(pk=homes["west"].pk).update(income_year=2025)
    Household.objects.filter(pk=homes["east"].pk).update(income_year=2026)
    client.force_login(sam)

    response = client.get(URL, {"income_year": "2025"})

    assert response.status_code == 200
    assert response.context["data"].households == 1
    assert [y for y, _label in response.context["village_form"].fields["income_year"].choices][
        1:
    ] == [2026, 2025]
    assert "income_year=2025" in response.context["xlsx_url"]
    book = client.get(response.context["xlsx_url"])
    sheet = load_workbook(io.BytesIO(book.content)).active
    header, values = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert dict(zip(header, values, strict=True))["Households"] == 1
    assert client.get(URL, {"income_year": "1999"}).status_code == 400
