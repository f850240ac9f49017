"""The household page writes the properties the forms recorded as a reader reads them: money as
yuan, dates as the locale writes them, the house's place as degrees with its accuracy."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from backend.households.services import household_register

PROPERTIES = {
    "hh_code": "DP-009",
    "head_name": "王大山",
    "hh_size": "4",
    "income_net": "18000.0",
    "income_pc": "4500.0",
    "spend_medical": "45000",
    "last_visit": "2026-12-06T00:00:00.000Z",
    "geometry": "26.507 106.706 0 8",
    "reno_area": "55.5",
}


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in Chinese leaves the thread in Chinese: later tests read English."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def household(project, village, alice):
    return household_register(
        project=project,
        code="DP-009",
        label="DP-009 王*山",
        village=village,
        actor=alice,
        properties=PROPERTIES,
    )


def _properties(client: Client, household) -> dict[str, str]:
    html = client.get(reverse("households:page", args=["demo", household.uuid])).content.decode()
    table = html.split('id="properties"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th title="([^"]+)">[^<]*</th><td[^>]*>(.*?)</td>', table)
    return {key: re.sub(r"<[^>]+>", "", value) for key, value in rows}


@pytest.mark.parametrize(
    ("language", "last_visit"), [("en", "6 December 2026"), ("zh-hans", "2026年12月6日")]
)
def test_money_dates_and_place_read_as_such(client: Client, alice, household, language, last_visit):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    shown = _properties(client, household)
    assert shown["income_net"] == "¥18,000"
    assert shown["income_pc"] == "¥4,500"
    assert shown["spend_medical"] == "¥45,000"
    assert shown["last_visit"] == last_visit
    assert shown["geometry"] == "26.50700, 106.70600 (±8 m)"
    assert shown["reno_area"] == "55.5 m²"
