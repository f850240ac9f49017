"""The worker's phone list shows each household's open case and the step it waits at, in the
project's language, and the list's token moves as the case does."""

import csv
import io

import pytest

from backend.casework.models import Decision, Kind, TriggerSource
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.households.lists import household_list_rows, household_list_token, households_for_phone
from backend.households.models import Category
from tests.casework.conftest import approve, household

pytestmark = pytest.mark.django_db


def phone_rows(world):
    households = households_for_phone(project=world.project, actor=world.places.worker_a)
    text = b"".join(household_list_rows(world.project, households)).decode()
    token = household_list_token(world.project, households)
    return {row["label"]: row["case_note"] for row in csv.DictReader(io.StringIO(text))}, token


def test_the_open_case_and_its_step_reach_the_phone_until_it_closes(world, fixed_clock, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the county's (the tests run in English)
    home = household(world, "P-1")
    notes, token = phone_rows(world)
    assert notes[home.label] == ""

    case = case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.county),
    )
    notes, opened = phone_rows(world)
    assert notes[home.label] == "纳入监测对象：入户核查（农户签字同意），2026年12月14日前办结"
    assert opened != token

    approve(world, case, fixed_clock)
    notes, moved = phone_rows(world)
    assert notes[home.label].startswith("纳入监测对象：村民主评议，")
    assert moved != opened

    case.refresh_from_db()
    case_step_decide(
        case=case, actor=world.decider(case), decision=Decision.REJECT, comment="收入达标"
    )
    notes, closed = phone_rows(world)
    assert notes[home.label] == ""
    assert closed not in (opened, moved)
