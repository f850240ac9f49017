"""The submission page shows photos as thumbnails and loads the large picture or the original
only when the reader opens it: two real 4 MB phone photos cost well under 1 MB to look at."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from backend.evidence.models import PhotoEvidence

BUDGET = 1_000_000  # bytes a reader's browser fetches before opening a photo


@pytest.fixture(autouse=True)
def _language_kept():
    """A page asked for in Chinese leaves the thread in Chinese: later tests read English."""
    with translation.override(translation.get_language()):
        yield


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
