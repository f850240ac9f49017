"""The admin's area form saves through the area service: a village's new code reaches the phones'
household lists (a new token), its new name does not touch them (the same token)."""

import pytest
from django.urls import reverse

from backend.areas.models import Level
from backend.households.lists import (
    household_list_rows,
    household_list_token,
    households_for_phone,
)
from backend.households.services import household_register
from tests.factories import AreaFactory, UserFactory


@pytest.fixture
def operator(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def village(db):
    county = AreaFactory(code="c1", level=Level.COUNTY)
    township = AreaFactory(code="t1", level=Level.TOWNSHIP, parent=county)
    return AreaFactory(code="demo-v01", name="东坡村", level=Level.VILLAGE, parent=township)


@pytest.fixture
def registered(project, village, bob):
    return household_register(
        project=project,
        code="H-1",
        label="H-1 王*",
        village=village,
        properties={"hh_size": "4"},
        helper=bob,
    )


def _change(client, area, **values):
    data = {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent_id,
        "boundary": "null",
        **values,
    }
    response = client.post(reverse("admin:areas_area_change", args=[area.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _list(project, bob):
    households = households_for_phone(project=project, actor=bob)
    return household_list_token(project, households), b"".join(
        household_list_rows(project, households)
    )


def test_a_new_village_code_gives_the_list_a_new_token(
    client, operator, project, village, bob, registered
):
    client.force_login(operator)
    token, _ = _list(project, bob)

    _change(client, village, code="demo-v09")

    new_token, content = _list(project, bob)
    assert new_token != token
    assert b",demo-v09," in content


def test_a_new_village_name_leaves_the_token(client, operator, project, village, bob, registered):
    client.force_login(operator)
    before = _list(project, bob)

    _change(client, village, name="新村")

    assert _list(project, bob) == before
