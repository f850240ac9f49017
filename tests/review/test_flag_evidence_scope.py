"""Evidence that points at a record the reader may not see says so without identifiers: a photo
sent for a west-township household and again for an east one, read by the east supervisor."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from backend.flags.models import Flag


@pytest.fixture
def reused(inspect, homes):
    """The same photo sent first for the west household, then for the east one."""
    west = inspect(homes["west"], photo_gps="26.6 106.8 1000 4")
    east = inspect(homes["east"])
    flag = Flag.objects.get(submission=east, code="photo_duplicate")
    # The evidence checks name the other record: what must not reach the east supervisor.
    assert flag.evidence["other_household"] == "W-1"
    assert flag.evidence["other_submission"] == west.instance_id
    return {"west": west, "east": east, "flag": flag}


def _bodies(client: Client, reused, homes) -> dict[str, str]:
    east = reused["east"]
    api = client.get(reverse("api:get_submission", args=["demo", east.pk])).json()
    flags = client.get(reverse("api:list_flags", args=["demo"]), {"code": "photo_duplicate"})
    household = client.get(reverse("api:get_household", args=["demo", homes["east"].uuid]))
    return {
        "submission page": client.get(
            reverse("review:submission", args=["demo", east.pk])
        ).content.decode(),
        "household page": client.get(
            reverse("households:page", args=["demo", homes["east"].uuid])
        ).content.decode(),
        "submission api": json.dumps(api, ensure_ascii=False),
        "flags api": json.dumps(flags.json(), ensure_ascii=False),
        "household api": json.dumps(household.json(), ensure_ascii=False),
    }


def test_a_reader_outside_the_area_is_told_without_identifiers(
    client: Client, east_supervisor, reused, homes
):
    west = reused["west"]
    client.force_login(east_supervisor)

    bodies = _bodies(client, reused, homes)

    for where, body in bodies.items():
        assert "W-1" not in body, where
        assert west.instance_id not in body, where
        assert west.instance_id.removeprefix("uuid:") not in body, where
        assert f"/submissions/{west.pk}" not in body, where
        assert "another household that you cannot see" in body, where
    flag = client.get(reverse("api:list_flags", args=["demo"])).json()["results"][0]
    assert "other_submission_id" not in flag["evidence"]
    assert flag["evidence"]["match"] == "identical"


def test_a_reader_who_may_see_both_keeps_the_identifiers_and_the_link(
    client: Client, sam, reused, homes
):
    west = reused["west"]
    client.force_login(sam)

    bodies = _bodies(client, reused, homes)

    link = reverse("review:submission", args=["demo", west.pk])
    assert f'href="{link}"' in bodies["submission page"]
    assert f'href="{link}"' in bodies["household page"]
    for where, body in bodies.items():
        assert "W-1" in body, where
        assert west.instance_id in body, where
