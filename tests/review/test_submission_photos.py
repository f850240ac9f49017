"""The submission page shows photos as thumbnails and loads the large picture or the original
only when the reader opens it: two real 4 MB phone photos cost well under 1 MB to look at."""

import io
import os
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageFilter

from backend.evidence.models import PhotoEvidence
from backend.submissions.models import Submission
from tests.households.instances import filled_instance
from tests.sync.submissions import multipart

BUDGET = 1_000_000  # bytes a reader's browser fetches before opening a photo


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in Chinese leaves the thread in Chinese: later tests read English."""
    with translation.override(translation.get_language()):
        yield


def phone_photo() -> bytes:
    """A 3000 x 2000 JPEG of about 4 MB: blurred noise, which compresses as a real scene does."""
    noise = Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3))
    buffer = io.BytesIO()
    noise.filter(ImageFilter.BoxBlur(1)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def two_photos(collect, inspection, homes):
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


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_page_and_its_pictures_cost_under_a_megabyte(client: Client, sam, two_photos):
    assert PhotoEvidence.objects.filter(submission=two_photos).exclude(thumb_small="").count() == 2
    client.force_login(sam)
    page = client.get(reverse("review:submission", args=["demo", two_photos.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    sources = set(re.findall(r'<img[^>]*\ssrc="([^"]+)"', html))
    assert len(sources) == 2  # one thumbnail per photo, in the answers and the gallery alike
    total = len(page.content)
    for source in sources:
        picture = client.get(source.replace("&amp;", "&"))
        assert picture.status_code == 200
        total += len(_body(picture))
    assert total < BUDGET, total
    # Each photo opens large, and its original stays one click away.
    original = reverse("submission-attachment", args=["demo", two_photos.pk, "front.jpg"])
    assert f'href="{original}?size=large"' in html
    assert f'href="{original}"' in html
    assert len(_body(client.get(original))) > 3_500_000


def test_a_photo_not_checked_yet_is_a_link_not_a_picture(client: Client, sam, two_photos):
    PhotoEvidence.objects.filter(submission=two_photos).update(thumb_small="", thumb_large="")
    client.force_login(sam)
    html = client.get(reverse("review:submission", args=["demo", two_photos.pk])).content.decode()
    assert "<img" not in html.split('id="map-section"')[0]
    original = reverse("submission-attachment", args=["demo", two_photos.pk, "after.jpg"])
    assert f'href="{original}"' in html
    assert "Open the photo" in html


def test_photo_links_in_chinese(client: Client, sam, two_photos):
    PhotoEvidence.objects.filter(submission=two_photos, attachment__name="after.jpg").update(
        thumb_small="", thumb_large=""
    )
    client.force_login(sam)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = client.get(reverse("review:submission", args=["demo", two_photos.pk])).content.decode()
    assert "打开照片" in html  # after.jpg, not checked yet
    assert "缩略图尚未生成" in html
    assert "原图" in html
    assert "Open the photo" not in html
