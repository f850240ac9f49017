"""The household and submission pages show labels, not codes, in the reader's language: a visit
with the shipped home-visit form, sent through the phone's submission path, after an inspection
(the review scenario of conftest.py)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.households.instances import filled_instance
from tests.sync.submissions import multipart

# Codes a reader must not have to decode: property names, answer keys and choice values.
CODES = (
    "income_pc",
    "hh_size",
    "edu_status",
    "last_outcome",
    "last_visit",
    "house_grade",
    "reno_area",
    "has_serious_illness",
    "follow_up",
    "45000.0",
)


def visible(page: str) -> str:
    """The text a reader sees: no scripts, no tags, no attributes (titles keep the codes)."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def visited(project, alice, homes, inspect, collect) -> Submission:
    """The east household inspected (grade D), then visited: five members, income down."""
    path = LIBRARY_DIR / "hh_visit.md"
    form = form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    ).version
    household = homes["east"]
    inspect(household)
    household.refresh_from_db()
    answers = {
        "/data/start": "2026-11-23T09:05:00.000+08:00",
        "/data/village": "demo-v01",
        "/data/hh": str(household.uuid),
        "/data/prev_size": "4",
        "/data/prev_income_pc": "5200",
        "/data/met": "yes",
        "/data/household_size/hh_size": "5",
        "/data/education/edu_status": "problem",
        "/data/medical/has_serious_illness": "yes",
        "/data/income/income_year": "2026",
        "/data/income/inc_wage": "45000",
        "/data/income/income_pc": "4300",
        "/data/conclusion/outcome": "follow_up",
        "/data/conclusion/last_visit": "2026-11-23",
        "/data/conclusion/last_outcome": "follow_up",
    }
    entity = {"dataset": "households", "id": str(household.uuid), "update": "1"}
    xml = filled_instance(form, answers, entity={**entity, "baseVersion": str(household.version)})
    assert collect("post", "submission", data=multipart(xml)).status_code == 201
    return Submission.objects.get(form_version=form)


def _get(client: Client, url: str, language: str, **post) -> str:
    client.cookies.load({"django_language": language})
    response = client.post(url, post) if post else client.get(url)
    assert response.status_code == 200
    return visible(response.content.decode())


HOUSEHOLD = {
    "en": [
        "per-capita net income ¥4,300",
        "outcome of the last visit Problem found, follow up",
        "compulsory education Problem found",
        "last visit 23 November 2026",
        "renovation floor area 55.5 m²",
        "D: whole building dangerous",
        "Whole front view of the house, household head standing in front",
    ],
    "zh-hans": [
        "人均纯收入 ¥4,300",
        "最近走访结论 发现问题，需跟进",
        "义务教育保障 存在问题",
        "最近走访 2026年11月23日",
        "改造建筑面积 55.5 m²",
        "D级：整栋危房",
        "房屋正面全貌（户主站在屋前）",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_household_page_shows_labels_not_codes(client: Client, sam, visited, homes, language):
    client.force_login(sam)
    text = " ".join(
        _get(
            client, reverse("households:page", args=["demo", homes["east"].uuid]), language
        ).split()
    )
    for expected in HOUSEHOLD[language]:
        assert expected in text
    for code in CODES:
        assert code not in text


def test_household_page_masks_health_until_revealed(client: Client, sam, visited, homes):
    client.force_login(sam)
    url = reverse("households:page", args=["demo", homes["east"].uuid])
    masked = " ".join(_get(client, url, "zh-hans").split())
    assert "有大病患者 ****" in masked
    revealed = " ".join(_get(client, url, "zh-hans", reveal="1").split())
    assert "有大病患者 是" in revealed


SUBMISSION = {
    "en": [
        "Form opened 23 November 2026, 09:05",
        "Per-capita net income ¥4,300",
        "Wage income ¥45,000",
        "Per-capita net income (last recorded) ¥5,200",
        "Members (last recorded) 4",
        "Compulsory education Problem found",
        "Outcome of the last visit Problem found, follow up",
        "Last visit 23 November 2026",
        "Household E-1 王*山",
    ],
    "zh-hans": [
        "开始填表时间 2026年11月23日 09:05",
        "人均纯收入 ¥4,300",
        "工资性收入 ¥45,000",
        "人均纯收入（上次记录） ¥5,200",
        "家庭人口（上次记录） 4",
        "义务教育保障 存在问题",
        "最近走访结论 发现问题，需跟进",
        "最近走访 2026年11月23日",
        "农户 E-1 王*山",
    ],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_submission_page_shows_labels_not_codes(client: Client, sam, visited, homes, language):
    client.force_login(sam)
    url = reverse("review:submission", args=["demo", visited.pk])
    text = " ".join(_get(client, url, language).split())
    for expected in SUBMISSION[language]:
        assert expected in text
    for code in (*CODES, "prev_income_pc", str(homes["east"].uuid)):
        assert code not in text
    # Personal answers stay masked whatever their label.
    assert "****" in text


def test_photos_are_captioned_by_their_question(client: Client, sam, flagged, homes):
    client.force_login(sam)
    client.cookies.load({"django_language": "zh-hans"})
    caption = '<figcaption title="front.jpg">房屋正面全貌（户主站在屋前）'
    submission = reverse("review:submission", args=["demo", flagged["risky"].pk])
    assert caption in client.get(submission).content.decode()
    household = reverse("households:page", args=["demo", homes["east"].uuid])
    assert caption in client.get(household).content.decode()
