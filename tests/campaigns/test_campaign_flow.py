"""Seed 003's look-back entered as it is: five time nodes, the village's households assigned and
listed first on the phones, daily progress from the visits the phones send, and sign-offs that
are refused while a household of the area is unvisited."""

import csv
import io
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backend.areas.models import Area, Level
from backend.campaigns.errors import CampaignRefused
from backend.campaigns.models import CampaignState, NodeKind
from backend.campaigns.progress import campaign_progress
from backend.campaigns.services import Plan, campaign_plan, campaign_sign_off, campaign_start
from backend.households.lists import household_list_rows, households_for_phone
from backend.households.models import Household
from backend.projects.models import Role
from tests.households.entity_forms import register_xml, send, visit_xml
from tests.townships import member

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 南芬区脱贫质量"回头看"工作实施方案: training before 5 April, visits 8-30 April, the offices
# compile until 10 May, the departments check 10-16 May, everything done by 20 May.
SEED_003 = {
    NodeKind.TRAINING: (None, date(2027, 4, 5)),
    NodeKind.VISITS: (date(2027, 4, 8), date(2027, 4, 30)),
    NodeKind.COMPILATION: (date(2027, 4, 30), date(2027, 5, 10)),
    NodeKind.DEPARTMENT_CHECKS: (date(2027, 5, 10), date(2027, 5, 16)),
    NodeKind.SIGN_OFF: (None, date(2027, 5, 20)),
}


def on(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))


@pytest.fixture
def homes(collect, forms, village):
    ids = {}
    for code in ("H-1", "H-2", "H-3"):
        ids[code] = str(uuid.uuid4())
        send(collect, register_xml(ids[code], code=code, label=f"{code} 王*"))
    return ids


@pytest.fixture
def campaign(project, alice, village, homes):
    with on(date(2027, 4, 1)):
        planned = campaign_plan(
            project=project,
            actor=alice,
            plan=Plan(name="2027年脱贫质量回头看", nodes=SEED_003, villages=(village,)),
        )
        campaign_start(campaign=planned, actor=alice)
    planned.refresh_from_db()
    return planned


def phone_list(project, bob):
    households = households_for_phone(project=project, actor=bob)
    text = b"".join(household_list_rows(project, households)).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_campaigns_households_come_first_on_the_phone_with_its_marker(
    project, bob, alice, collect, forms, village, homes
):
    Area.objects.create(code="demo-v02", name="西岭村", level=Level.VILLAGE, parent=village.parent)
    send(collect, register_xml(str(uuid.uuid4()), code="A-0", village="demo-v02", label="A-0 李*"))
    assert next(row["label"] for row in phone_list(project, bob)) == "A-0 李*"
    with on(date(2027, 4, 1)):
        planned = campaign_plan(
            project=project,
            actor=alice,
            plan=Plan(name="回头看", nodes=SEED_003, villages=(village,)),
        )
        assert campaign_start(campaign=planned, actor=alice) == 3
    rows = [(row["label"], row["campaign"]) for row in phone_list(project, bob)]
    assert rows == [
        ("H-1 王*", "回头看"),
        ("H-2 王*", "回头看"),
        ("H-3 王*", "回头看"),
        ("A-0 李*", ""),
    ]


def test_daily_progress_and_the_unvisited_from_the_phones_visits(
    project, alice, collect, campaign, homes
):
    assert campaign.state == CampaignState.ACTIVE
    with on(date(2027, 4, 9)):
        send(collect, visit_xml(homes["H-1"], 1, size=4))
    with on(date(2027, 4, 10)):
        send(collect, visit_xml(homes["H-2"], 1, size=5))
    progress = campaign_progress(campaign, alice)
    assert (progress.total.households, progress.total.visited, progress.total.remaining) == (
        3,
        2,
        1,
    )
    assert progress.per_day == [(date(2027, 4, 9), 1), (date(2027, 4, 10), 1)]
    assert [entry.household.code for entry in progress.unvisited] == ["H-3"]
    assert [(v.name, v.visited, v.remaining) for v in progress.villages] == [("东坡村", 2, 1)]


def test_a_visit_outside_the_window_does_not_count(project, alice, collect, campaign, homes):
    with on(date(2027, 5, 2)):
        send(collect, visit_xml(homes["H-1"], 1, size=4))
    assert campaign_progress(campaign, alice).total.visited == 0


def test_sign_off_waits_for_every_household_and_every_level_below(
    project, alice, collect, campaign, homes, village
):
    cadre = member(project, "village_cadre", Role.SUPERVISOR, village)
    township = member(project, "township_office", Role.SUPERVISOR, village.parent)
    for code, day in (("H-1", 9), ("H-2", 10)):
        with on(date(2027, 4, day)):
            send(collect, visit_xml(homes[code], 1, size=4))
    with on(date(2027, 5, 18)), pytest.raises(CampaignRefused, match="1 households of 东坡村"):
        campaign_sign_off(campaign=campaign, actor=cadre, area=village, signer_name="村书记 张三")

    with on(date(2027, 4, 29)):
        send(collect, visit_xml(homes["H-3"], 1, size=2))
    county = village.parent.parent
    with on(date(2027, 5, 18)):
        with pytest.raises(CampaignRefused, match="Not yet signed by: T"):
            campaign_sign_off(campaign=campaign, actor=alice, area=county, signer_name="区扶贫办")
        campaign_sign_off(campaign=campaign, actor=cadre, area=village, signer_name="村书记 张三")
        campaign_sign_off(
            campaign=campaign, actor=township, area=village.parent, signer_name="办事处 李四"
        )
        campaign_sign_off(campaign=campaign, actor=alice, area=county, signer_name="区扶贫办 王五")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CLOSED
    assert set(Household.objects.values_list("campaign", flat=True)) == {""}
