"""Two townships, each with one village and a registered household; the shipped housing
inspection form; inspections sent by Bob's phone through OpenRosa, with real JPEG photos."""

import io
import os
import uuid

import pytest
from PIL import Image, ImageFilter

from backend.areas.models import Area, Level
from backend.flags.models import Flag, Severity
from backend.flags.risk import submission_risk_refresh
from backend.households.services import household_register
from backend.projects.models import Membership, Role
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.factories import MembershipFactory, UserFactory
from tests.households.instances import filled_instance
from tests.sync.conftest import bob_token, collect  # noqa: F401  fixtures
from tests.sync.submissions import jpeg, multipart


def square(lon: float, lat: float, d: float = 0.01) -> dict:
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def areas(db):
    county = Area.objects.create(code="c1", name="示范县", level=Level.COUNTY)
    east_t = Area.objects.create(code="t1", name="东镇", level=Level.TOWNSHIP, parent=county)
    west_t = Area.objects.create(code="t2", name="西镇", level=Level.TOWNSHIP, parent=county)
    east = Area.objects.create(
        code="demo-v01",
        name="东坡村",
        level=Level.VILLAGE,
        parent=east_t,
        boundary=square(106.7095, 26.5071),
    )
    west = Area.objects.create(
        code="demo-v02",
        name="西河村",
        level=Level.VILLAGE,
        parent=west_t,
        boundary=square(106.8, 26.6),
    )
    return {"east_township": east_t, "west_township": west_t, "east": east, "west": west}


@pytest.fixture
def homes(project, areas, bob, alice):
    def register(code, village, point):
        return household_register(
            project=project,
            code=code,
            label=f"{code} 王*山",
            village=village,
            helper=bob,
            actor=alice,
            properties={
                "hh_code": code,
                "head_name": "王大山",
                "hh_size": "4",
                "geometry": point,
                "has_serious_illness": "yes",
                "house_grade": "C",
            },
        )

    return {
        "east": register("E-1", areas["east"], "26.5071 106.7095 1000 5"),
        "west": register("W-1", areas["west"], "26.6 106.8 1000 5"),
    }


@pytest.fixture
def inspection(project, alice):
    path = LIBRARY_DIR / "housing_inspection.md"
    return form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    ).version


@pytest.fixture
def inspect(collect, inspection):  # noqa: F811
    """Send a before-stage inspection of a household with its photos; return the Submission."""

    def send(
        household,
        *,
        photo_gps="26.5072 106.7096 1000 4",
        color=(200, 10, 10),
        photo_name="front.jpg",
    ) -> Submission:
        instance_id = f"uuid:{uuid.uuid4()}"
        xml = filled_instance(
            inspection,
            {
                "/data/village": household.village.code,
                "/data/hh": str(household.uuid),
                "/data/stage": "before",
                "/data/plan/grade_before": "D",
                "/data/plan/appraisal_date": "2026-11-01",
                "/data/plan/area_m2": "55.5",
                "/data/before/photo_before": photo_name,
                "/data/before/photo_before_gps": photo_gps,
                "/data/inspector_info/inspector": "李四",
                "/data/house_grade_save": "D",
            },
            entity={
                "dataset": "households",
                "update": "1",
                "baseVersion": str(household.version),
                "id": str(household.uuid),
            },
            instance_id=instance_id,
        )
        response = collect("post", "submission", data=multipart(xml, (photo_name, jpeg(color))))
        assert response.status_code == 201, response.content
        return Submission.objects.get(instance_id=instance_id)

    return send


@pytest.fixture
def flagged(inspect, homes):
    """The east household's inspection with two evidence flags; the west one with none."""
    risky = inspect(homes["east"])
    for code, severity in (
        ("photo_duplicate", Severity.SERIOUS),
        ("gps_outside_village", Severity.WARNING),
    ):
        Flag.objects.create(
            project=risky.project,
            household=homes["east"],
            village=homes["east"].village,
            submission=risky,
            code=code,
            severity=severity,
            evidence={"distance_m": 812},
        )
    # Made here without the evidence checks: store the score the flag services would have.
    submission_risk_refresh(project=risky.project, submission_ids=[risky.pk])
    # Its own photo, taken at the house: the evidence checks find nothing but the missing EXIF.
    calm = inspect(homes["west"], photo_gps="26.6 106.8 1000 4", color=(10, 160, 60))
    return {"risky": risky, "calm": calm}


@pytest.fixture
def east_supervisor(project, areas):
    """A supervisor of the east township only."""
    user = UserFactory(username="esther", full_name="Esther")
    membership = MembershipFactory(project=project, user=user, role=Role.SUPERVISOR)
    membership.areas.add(areas["east_township"])
    return user


def phone_photo() -> bytes:
    """A 3000 x 2000 JPEG of about 4 MB: blurred noise, which compresses as a real scene does."""
    noise = Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3))
    buffer = io.BytesIO()
    noise.filter(ImageFilter.BoxBlur(1)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def two_photos(collect, inspection, homes):  # noqa: F811
    household = homes["east"]
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = filled_instance(
        inspection,
        {
            "/data/village": household.village.code,
            "/data/hh": str(household.uuid),
            "/data/stage": "before",
            "/data/before/photo_before": "front.jpg",
            "/data/before/photo_before_gps": "26.5072 106.7096 1000 4",
            "/data/after/photo_after": "after.jpg",
            "/data/after/photo_after_gps": "26.5072 106.7096 1000 4",
        },
        entity={
            "dataset": "households",
            "update": "1",
            "baseVersion": str(household.version),
            "id": str(household.uuid),
        },
        instance_id=instance_id,
    )
    photos = [("front.jpg", phone_photo()), ("after.jpg", phone_photo())]
    assert all(len(content) > 3_500_000 for _name, content in photos)
    response = collect("post", "submission", data=multipart(xml, *photos))
    assert response.status_code == 201, response.content
    return Submission.objects.get(instance_id=instance_id)


__all__ = ["Membership"]
