"""A submission is named for people by its household, its form and the day it came in, in the
reader's language: never by its `uuid:…` instance id (page title, heading, queue rows)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

FORM = "危房改造检查验收 Housing renovation inspection"


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in Chinese leaves the thread in Chinese: later tests read English."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def received(fixed_clock, flagged):
    return flagged


def _title_and_heading(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    heading = re.search(r"<h1>(.*?)<span", html, re.S)
    assert title
    assert heading
    return " ".join(title.group(1).split()), " ".join(heading.group(1).split())


@pytest.mark.parametrize(
    ("language", "day"), [("en", "7 December 2026"), ("zh-hans", "2026年12月7日")]
)
def test_submission_page_is_titled_by_household_form_and_day(
    client: Client, sam, received, language, day
):
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    submission = received["risky"]
    html = client.get(reverse("review:submission", args=["demo", submission.pk])).content.decode()
    title, heading = _title_and_heading(html)
    assert heading == f"E-1 王*山 · {FORM} · {day}"
    assert title.startswith(heading)
    assert submission.instance_id not in html
    assert "uuid:" not in html


@pytest.mark.parametrize(
    ("language", "day"), [("en", "7 December 2026"), ("zh-hans", "2026年12月7日")]
)
def test_queue_rows_are_titled_the_same_way(client: Client, sam, received, language, day):
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("review:queue", args=["demo"])).content.decode()
    assert f"E-1 王*山 · {FORM} · {day}</a>" in html
    assert f"W-1 王*山 · {FORM} · {day}</a>" in html
    assert "uuid:" not in html


def test_household_timeline_names_the_visit_by_its_form(client: Client, sam, received, homes):
    client.force_login(sam)
    html = client.get(
        reverse("households:page", args=["demo", homes["east"].uuid])
    ).content.decode()
    assert f">{FORM}</a>" in html
    assert "uuid:" not in html
