"""The dashboard's cases: waiting at each level, overdue, approved and rejected, by township and
village and by kind, each reader counting only the cases they see."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation
from django.utils.timezone import localdate

from backend.casework.models import Decision, Kind, TriggerSource
from backend.casework.overview import case_overview
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.households.models import Category
from tests.casework.conftest import approve, household

pytestmark = pytest.mark.django_db


def _open(world, code, village=None):
    return case_open(
        household=household(world, code, village=village),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )


@pytest.fixture
def cases(world, fixed_clock):
    at_village = _open(world, "D-1")
    on_to_township = _open(world, "D-2")
    while on_to_township.level != "township":
        on_to_township = approve(world, on_to_township, fixed_clock)
    rejected = _open(world, "D-3", village=world.places.b1)
    case_step_decide(
        case=rejected, actor=world.cadre_b1, decision=Decision.REJECT, comment="不符合"
    )
    fixed_clock.shift(timedelta(days=20))  # every open step is past its due date
    return at_village, on_to_township, rejected


def test_the_county_counts_every_case_by_level_area_and_kind(world, cases):
    overview = case_overview(actor=world.county, project=world.project, today=localdate())
    total = overview.total
    assert (total.at_village, total.at_township, total.at_county) == (1, 1, 0)
    assert (total.overdue, total.approved, total.rejected) == (2, 0, 1)
    assert [(t.tally.name, t.tally.open, t.tally.rejected) for t in overview.townships] == [
        ("Township A", 2, 0),
        ("Township B", 0, 1),
    ]
    assert [(v.name, v.open) for v in overview.townships[0].villages] == [("Village A1", 2)]
    assert [(k.name, k.open, k.rejected) for k in overview.kinds] == [
        ("Inclusion as a monitoring object", 2, 1)
    ]


def test_a_township_counts_only_its_villages(world, cases):
    overview = case_overview(
        actor=world.places.supervisor_b, project=world.project, today=localdate()
    )
    assert (overview.total.open, overview.total.rejected) == (0, 1)
    assert [t.tally.name for t in overview.townships] == ["Township B"]


def test_the_dashboard_page_shows_them_in_chinese(world, cases, fixed_clock):
    client = Client()
    client.force_login(world.county)
    with translation.override("zh-hans"):
        page = client.get("/p/demo/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'id="tile-cases-open">\s*2<', html)
    assert re.search(r'id="tile-cases-overdue">\s*2<', html)
    assert "在乡镇" in html
    assert "纳入监测对象" in html
