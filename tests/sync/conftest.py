"""A project with the shipped visit form, households, and a phone that talks like ODK Collect."""

import base64
from collections.abc import Callable

import pytest
from django.test import Client

from backend.accounts.services import device_token_issue
from backend.areas.models import Area, Level
from backend.households.models import Household
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.forms import mdforms

COLLECT_HEADERS = {
    "X-OpenRosa-Version": "1.0",
    "User-Agent": "org.odk.collect.android/v2026.2.0 Dalvik/2.1.0",
    # Collect's Date uses a 12-hour clock; the server must not care.
    "Date": "Tue, 03 Sep 2024 01:15:00 GMT+08:00",
}
DEVICE = "deviceID=collect%3AABCDEFGHIJKLMNOP"

PHOTO_FORM = """
| survey |
|        | type     | name  | label | parameters      |
|        | text     | name  | Name  |                 |
|        | image    | photo | Photo | max-pixels=1024 |
|        | begin_repeat | rooms | Rooms |             |
|        | image    | room_photo | Room photo | max-pixels=1024 |
|        | integer  | size  | Size  |                 |
|        | end_repeat | rooms |     |                 |
| settings |
|          | form_id | version |
|          | photos  | 1       |
"""


@pytest.fixture
def village(db):
    county = Area.objects.create(code="c", name="C", level=Level.COUNTY)
    township = Area.objects.create(code="t", name="T", level=Level.TOWNSHIP, parent=county)
    return Area.objects.create(code="demo-v01", name="东坡村", level=Level.VILLAGE, parent=township)


@pytest.fixture
def simple(project, alice):
    return form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE.encode()), published_by=alice
    ).version


@pytest.fixture
def photos(project, alice):
    return form_publish(
        project=project, source=Upload("p.md", PHOTO_FORM.encode()), published_by=alice
    ).version


@pytest.fixture
def visit(project, alice):
    path = LIBRARY_DIR / "hh_visit.md"
    return form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    ).version


@pytest.fixture
def households(project, village, bob, alice):
    def make(code, helper):
        return Household.objects.create(
            project=project,
            code=code,
            label=f"{code} 张*",
            village=village,
            head_name="张三",
            helper=helper,
            properties={"hh_code": code, "hh_size": "4"},
        )

    return [make("A-1", bob), make("A-2", bob), make("B-1", alice)]


@pytest.fixture
def bob_token(project, bob) -> str:
    _, secret = device_token_issue(user=bob, project=project, label="Bob's phone")
    return secret


@pytest.fixture
def collect(bob_token, django_capture_on_commit_callbacks) -> Callable[..., object]:
    """Bob's phone: requests go to the token URL with Collect's headers.

    Work scheduled on commit runs as it would after a real request's transaction.
    """
    client = Client()

    def request(method: str, path: str, **kwargs):
        url = (
            path
            if path.startswith(("/key/", "http"))
            else (f"/key/{bob_token}/projects/demo/{path}")
        )
        sep = "&" if "?" in url else "?"
        headers = {**COLLECT_HEADERS, **kwargs.pop("headers", {})}
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(f"{url}{sep}{DEVICE}", headers=headers, **kwargs)

    return request


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def body(response) -> bytes:
    """The response's bytes, whether it was streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
