"""Two households in one village with a boundary, the shipped visit and inspection forms, and
Bob's phone sending visits through OpenRosa as ODK Collect does."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from backend.households.models import Household
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.models import FormVersion
from forms.services import Upload, form_publish
from tests.households.instances import filled_instance
from tests.sync.conftest import *  # noqa: F403  the phone, the village and the personas
from tests.sync.submissions import multipart

CST = timezone(timedelta(hours=8))
# Two houses about 111 m apart, well inside the village.
HOME_A = (26.5000, 106.7000)
HOME_B = (26.5010, 106.7000)
BOUNDARY = {
    "type": "Polygon",
    "coordinates": [
        [[106.69, 26.49], [106.71, 26.49], [106.71, 26.51], [106.69, 26.51], [106.69, 26.49]]
    ],
}


@pytest.fixture
def base_time() -> datetime:
    """Yesterday at 09:00 in China: visits happen after the forms were published."""
    now = datetime.now(CST)
    return (now - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def homes(project, village, bob):
    village.boundary = BOUNDARY
    village.save(update_fields=["boundary"])

    def make(code, point):
        return Household.objects.create(
            project=project,
            code=code,
            label=f"{code} 张*",
            village=village,
            head_name="张三",
            helper=bob,
            latitude=point[0],
            longitude=point[1],
            accuracy=5,
            house_grade="D",
            properties={"hh_code": code, "village": "demo-v01"},
        )

    return {"A": make("A-1", HOME_A), "B": make("B-1", HOME_B)}


@pytest.fixture
def library(project, alice):
    versions = {
        name: form_publish(
            project=project,
            source=Upload(f"{name}.md", (LIBRARY_DIR / f"{name}.md").read_bytes()),
            published_by=alice,
        ).version
        for name in ("hh_visit", "housing_inspection")
    }
    # The forms were published a month ago, so yesterday's visits are plausible.
    FormVersion.objects.update(created_at=datetime.now(CST) - timedelta(days=30))
    return {name: FormVersion.objects.get(pk=v.pk) for name, v in versions.items()}


def geopoint(point, accuracy=4.0) -> str:
    return f"{point[0]} {point[1]} 1020 {accuracy}"


@pytest.fixture
def send(collect, library):
    """Post one filled form with its files; return the processed submission."""

    def post(form, household, values, files=(), *, start, minutes=20.0, **entity):
        end = start + timedelta(minutes=minutes)
        answers = {
            "/data/start": start.isoformat(timespec="milliseconds"),
            "/data/end": end.isoformat(timespec="milliseconds"),
            "/data/village": "demo-v01",
            "/data/hh": str(household.uuid),
            **values,
        }
        xml = filled_instance(
            library[form],
            answers,
            entity={
                "dataset": "households",
                "id": str(household.uuid),
                "update": "1",
                "baseVersion": "1",
                **entity,
            },
            instance_id=f"uuid:{uuid.uuid4()}",
        )
        response = collect("post", "submission", data=multipart(xml, *files))
        assert response.status_code == 201, response.content
        return Submission.objects.order_by("-pk").first()

    return post


def visit_values(point, photo="house.jpg", **extra) -> dict[str, str]:
    """A home visit where nobody was met: photo and location only."""
    return {"/data/met": "no", "/data/house_photo": photo, "/data/visit_gps": point, **extra}


def open_codes(submission) -> set[str]:
    return set(submission.flags.filter(state="open").values_list("code", flat=True))
