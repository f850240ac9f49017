"""Flags read as sentences in the reader's language: money grouped, dates written out, days
counted, facts named by their labels; the pages show each flag's state in plain words, links to
what it points at and its clear form beside it; no evidence key or ISO time reaches the page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from backend.flags.models import Flag, Severity
from backend.flags.sentences import flag_sentence

# Keys and raw values evidence holds: none of them may reach a reader.
RAW = (
    "limit_days",
    "cadence_days",
    "last_visit",
    "distance_m",
    "taken_at",
    "income_per_capita",
    "med_status",
    "2026-09-01",
    "T10:",
    "+08:00",
    "open",
    "problem",
)


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in Chinese leaves the thread in Chinese: later tests read English."""
    with translation.override(translation.get_language()):
        yield


def flag(project, code: str, evidence: dict, **extra) -> Flag:
    return Flag(project=project, code=code, severity=Severity.WARNING, evidence=evidence, **extra)


CASES = [
    (
        "income_below_line",
        {"income_per_capita": 4500, "income_year": 2026, "line": 6000},
        "Per-capita income of 4,500 yuan in 2026 is below that year's line of 6,000 yuan.",
        "2026年人均纯收入4,500元，低于当年监测线6,000元。",
    ),
    (
        "visit_overdue",
        {"last_visit": "2026-09-01", "cadence_days": 30},
        "Last visited on 1 September 2026; the project asks for a visit every 30 days.",
        "最近一次走访为2026年9月1日；项目要求每30天走访一次。",
    ),
    (
        "photo_time_outside_visit",
        {
            "photo": "front.jpg",
            "taken_at": "2026-12-05T10:15:00+08:00",
            "window_start": "2026-12-06T09:00:00.123456+08:00",
            "window_end": "2026-12-06T11:30:00+08:00",
        },
        "Photo front.jpg was taken at 5 December 2026, 10:15, outside the visit "
        "6 December 2026, 09:00 to 6 December 2026, 11:30.",
        "照片 front.jpg 拍摄于 2026年12月5日 10:15，不在走访时段 2026年12月6日 09:00 至 "
        "2026年12月6日 11:30 内。",
    ),
    # Evidence the rule's sentence cannot take: the facts, by their names and units.
    ("gps_outside_village", {"distance_m": 812}, "distance: 812 m", "距离：812米"),
    # A rule with no sentence: the household properties it read, by their labels and choices.
    ("medical_care", {"med_status": "problem"}, "basic medical care: ", "基本医疗保障：存在问题"),
]


@pytest.mark.parametrize(("code", "evidence", "english", "chinese"), CASES)
def test_rules_read_as_sentences_in_both_languages(project, code, evidence, english, chinese):
    for language, expected in (("en", english), ("zh-hans", chinese)):
        with translation.override(language):
            sentence = flag_sentence(flag(project, code, evidence))
        assert sentence.startswith(expected), (language, sentence)
        assert not any(raw in sentence for raw in RAW if raw != "problem"), sentence


def test_a_fact_without_a_label_is_left_out(project):
    with translation.override("en"):
        sentence = flag_sentence(flag(project, "drinking_water", {"field": "/data/x/y"}))
    assert sentence == ""


def page_text(html: str) -> str:
    """What a reader reads: the text between the tags, without scripts and the map's data."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def overdue_flags(homes, project):
    east = homes["east"]
    common = {"project": project, "household": east, "village": east.village}
    Flag.objects.create(
        **common,
        code="visit_overdue",
        severity=Severity.WARNING,
        evidence={"last_visit": "2026-09-01", "cadence_days": 30, "limit_days": 30},
    )
    Flag.objects.create(
        **common,
        code="income_below_line",
        severity=Severity.SERIOUS,
        evidence={"income_per_capita": "4500.0", "income_year": 2026, "line": "6000.00"},
    )
    return east


@pytest.mark.parametrize(
    ("language", "state", "sentence"),
    [
        ("en", "Open", "Last visited on 1 September 2026"),
        ("zh-hans", "待处理", "最近一次走访为2026年9月1日"),
    ],
)
def test_household_page_shows_each_flag_as_a_card_with_its_clear_form(
    client, sam, overdue_flags, language, state, sentence
):
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = reverse("households:page", args=["demo", overdue_flags.uuid])
    html = client.get(page).content.decode()
    section = html.split('id="flags"', 1)[1].split("</section>", 1)[0]
    cards = re.findall(r'<li class="flag-card.*?</li>', section, flags=re.S)
    assert len(cards) == 3  # with the unsafe house the registration found
    for card in cards:  # the clear form sits inside its flag's card, coming back to this page
        assert 'class="flag-clear"' in card
        assert f'name="next" value="{page}"' in card
    text = page_text(section)
    assert sentence in text
    assert re.findall(r'<span class="flag-state open">([^<]*)</span>', section) == [state] * 3
    assert "开放" not in text
    for raw in ("limit_days", "cadence_days", "visit_overdue", "income_below_line", "2026-09-01"):
        assert raw not in text


def test_clearing_from_the_submission_page_comes_back_to_it(client, sam, flagged):
    risky = flagged["risky"]
    client.force_login(sam)
    page = reverse("review:submission", args=["demo", risky.pk])
    html = client.get(page).content.decode()
    flag = risky.flags.get(code="gps_outside_village")
    card = html.split(f'id="flag-{flag.pk}"', 1)[1].split("</li>", 1)[0]
    action = re.search(r'<form method="post" action="([^"]+)"', card).group(1)
    assert "distance: 812 m" in page_text(card)
    response = client.post(action, {"note": "Checked on the phone's map", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    flag.refresh_from_db()
    assert flag.state == "closed"


def test_clearing_never_sends_the_reader_to_another_site(client, sam, flagged):
    flag = flagged["risky"].flags.get(code="gps_outside_village")
    household = flagged["risky"].household_versions.first().household
    client.force_login(sam)
    url = reverse("households:clear_flag", args=["demo", household.uuid, flag.pk])
    response = client.post(url, {"note": "seen", "next": "https://evil.example/"})
    assert response["Location"] == reverse("households:page", args=["demo", household.uuid])


def test_the_visit_and_the_household_are_linked_from_the_flag(client, sam, flagged, homes):
    client.force_login(sam)
    html = client.get(reverse("households:page", args=["demo", homes["east"].uuid]))
    section = html.content.decode().split('id="flags"', 1)[1].split("</section>", 1)[0]
    visit = reverse("review:submission", args=["demo", flagged["risky"].pk])
    assert f'<a href="{visit}">' in section


def test_the_api_gives_each_flag_its_sentence(client, sam, overdue_flags):
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    flags = client.get(reverse("api:list_flags", args=["demo"])).json()["results"]
    sentences = {row["code"]: row["sentence"] for row in flags}
    assert sentences["visit_overdue"].startswith("Last visited on 1 September 2026")
