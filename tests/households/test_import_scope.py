"""A household import registers households only in the importing admin's villages."""

from django.test import Client
from django.urls import reverse

from backend.households.models import Household
from tests.households.test_import_page import csv

URL = reverse("households:import", args=["demo"])


def test_a_township_admin_registers_nothing_in_another_township(client: Client, townships):
    client.force_login(townships.admin_b)
    rows = f"B1-100,王五,{townships.b1.code},,3,\nA1-100,赵六,{townships.a1.code},,2,\n"
    response = client.post(URL, {"file": csv(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Row 3: unknown village {townships.a1.code}" in page
    assert not Household.objects.filter(code__in=["B1-100", "A1-100"]).exists()


def test_a_village_outside_the_scope_reads_as_one_that_does_not_exist(client: Client, townships):
    client.force_login(townships.admin_b)
    rows = f"X-1,王五,{townships.a1.code},,3,\nX-2,王五,nowhere,,3,\n"
    page = client.post(URL, {"file": csv(rows)}).content.decode()
    assert f"unknown village {townships.a1.code}" in page
    assert "unknown village nowhere" in page


def test_a_township_admin_registers_households_in_their_township(client: Client, townships):
    client.force_login(townships.admin_b)
    rows = f"B1-100,王五,{townships.b1.code},,3,worker_b\n"
    assert client.post(URL, {"file": csv(rows)}).status_code == 302
    household = Household.objects.get(code="B1-100")
    assert (household.village, household.helper) == (townships.b1, townships.worker_b)


def test_the_county_admin_registers_anywhere(client: Client, townships, alice):
    client.force_login(alice)
    rows = f"A1-100,赵六,{townships.a1.code},,2,\n"
    assert client.post(URL, {"file": csv(rows)}).status_code == 302
    assert Household.objects.get(code="A1-100").village == townships.a1
