"""No one receives a household outside their area, by any URL the phone can reach."""

import csv
import io

import pytest
from django.test import Client

from backend.accounts.services import device_token_issue
from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.households.access import access_household_by_uuid, households_for_actor
from backend.households.services import household_register
from backend.projects.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.sync.conftest import COLLECT_HEADERS, DEVICE, body


@pytest.fixture
def areas(village):
    township = village.parent
    other_township = Area.objects.create(
        code="t2", name="T2", level=Level.TOWNSHIP, parent=township.parent
    )
    return {
        "east": village,
        "west": Area.objects.create(
            code="west", name="西河村", level=Level.VILLAGE, parent=township
        ),
        "far": Area.objects.create(
            code="far", name="远村", level=Level.VILLAGE, parent=other_township
        ),
        "township": township,
    }


@pytest.fixture
def homes(project, areas, bob):
    def make(code, village, helper=None):
        return household_register(
            project=project,
            code=code,
            label=code,
            village=village,
            helper=helper,
            properties={"head_name": "某", "village": village.code},
        )

    return {
        "bobs": make("E-1", areas["east"], helper=bob),
        "east": make("E-2", areas["east"]),
        "west": make("W-1", areas["west"]),
        "far": make("F-1", areas["far"]),
    }


def codes(actor, project) -> set[str]:
    return set(households_for_actor(actor=actor, project=project).values_list("code", flat=True))


def assign(user, project, *areas):
    Membership.objects.get(project=project, user=user).areas.set(areas)


def test_worker_without_areas_sees_only_the_households_they_help(project, homes, bob):
    assert codes(bob, project) == {"E-1"}


def test_worker_with_a_village_sees_it_and_their_own(project, homes, bob, areas):
    assign(bob, project, areas["west"])

    assert codes(bob, project) == {"E-1", "W-1"}


def test_supervisor_of_a_township_sees_its_villages_only(project, homes, sam, areas):
    assign(sam, project, areas["township"])

    assert codes(sam, project) == {"E-1", "E-2", "W-1"}


def test_admin_without_areas_sees_the_whole_project(project, homes, alice):
    assert codes(alice, project) == {"E-1", "E-2", "W-1", "F-1"}


def test_outsider_sees_nothing(project, homes, mallory):
    assert codes(mallory, project) == set()


def test_missing_and_forbidden_households_look_the_same(project, homes, bob):
    with pytest.raises(NotFound) as forbidden:
        access_household_by_uuid(bob, project, str(homes["far"].uuid))
    with pytest.raises(NotFound) as missing:
        access_household_by_uuid(bob, project, "00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFound):
        access_household_by_uuid(bob, project, "not-a-uuid")

    assert str(forbidden.value) == str(missing.value)
    assert access_household_by_uuid(bob, project, str(homes["bobs"].uuid)) == homes["bobs"]


def test_no_url_gives_a_worker_another_areas_household(project, homes, visit, areas):
    carol = UserFactory(username="carol")
    MembershipFactory(project=project, user=carol, role=Role.COLLECTOR)
    assign(carol, project, areas["west"])
    _, token = device_token_issue(user=carol, project=project)
    client = Client()

    def get(path):
        return client.get(
            f"/key/{token}/projects/demo/{path}{'&' if '?' in path else '?'}{DEVICE}",
            headers=COLLECT_HEADERS,
        )

    media = body(get(f"forms/hh_visit/{visit.md5}/media/households.csv")).decode()
    listed = {row["name"] for row in csv.DictReader(io.StringIO(media))}
    others = ",".join(str(homes[k].uuid) for k in ("bobs", "east", "far"))
    integrity = get(f"lists/households/integrity?id={others},{homes['west'].uuid}").content.decode()

    assert listed == {str(homes["west"].uuid)}
    for key in ("bobs", "east", "far"):
        assert str(homes[key].uuid) not in integrity
    assert str(homes["west"].uuid) in integrity
