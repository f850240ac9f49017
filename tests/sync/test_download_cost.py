"""Form downloads cost nothing once a version was read: its bytes and files are kept per version
(forms/phone_files.py), a phone that has them gets a 304, and behind nginx the media bytes go out
through X-Accel-Redirect after the permission check."""

import hashlib
import os

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from backend.audit.models import AccessKind, AccessLog
from backend.households.models import Household
from forms.services import Upload, form_attach, form_publish
from tests.forms import mdforms
from tests.sync.conftest import body
from tests.sync.test_manifest_media import listed, media_files, path

LOGO = b"\x89PNG fake"


def _with_media(project, alice, files):
    version = form_publish(
        project=project, source=Upload("m.md", mdforms.WITH_MEDIA.encode()), published_by=alice
    ).version
    form_attach(version=version, uploads=[Upload(name, data) for name, data in files.items()])
    return version


def test_a_known_version_downloads_without_a_query(collect, simple, django_assert_num_queries):
    url = f"forms/simple/{simple.md5}/form.xml"
    collect("get", "formList")  # the first use of a token records its time and re-reads it
    first = collect("get", url)

    with django_assert_num_queries(0):
        again = collect("get", url)

    assert again.status_code == 200
    assert again.content == first.content == simple.xform_bytes
    assert again["ETag"] == f'"{simple.md5}"'


def test_a_phone_that_has_the_form_gets_a_304(collect, simple):
    url = f"forms/simple/{simple.md5}/form.xml"

    cached = collect("get", url, headers={"If-None-Match": f'"{simple.md5}"'})
    other = collect("get", url, headers={"If-None-Match": '"0123"'})

    assert cached.status_code == 304
    assert cached.content == b""
    assert cached["ETag"] == f'"{simple.md5}"'
    assert other.status_code == 200


def test_the_manifest_has_an_etag_and_answers_304_until_a_file_is_added(collect, project, alice):
    version = _with_media(project, alice, {"crops.csv": b"name,label\nm,Maize\n"})
    url = path(listed(collect, "with_media")["manifestUrl"])
    first = collect("get", url)

    cached = collect("get", url, headers={"If-None-Match": first["ETag"]})
    form_attach(version=version, uploads=[Upload("logo.png", LOGO)])
    changed = collect("get", url, headers={"If-None-Match": first["ETag"]})

    assert first["ETag"] == f'"{hashlib.md5(first.content).hexdigest()}"'
    assert cached.status_code == 304
    assert changed.status_code == 200
    assert set(media_files(changed)) == {"crops.csv", "logo.png"}


def test_a_new_file_is_downloadable_at_once(collect, project, alice):
    version = _with_media(project, alice, {"crops.csv": b"name,label\n"})
    manifest = path(listed(collect, "with_media")["manifestUrl"])
    collect("get", manifest)
    logo = manifest.removesuffix("manifest") + "media/logo.png"
    assert collect("get", logo).status_code == 404

    form_attach(version=version, uploads=[Upload("logo.png", LOGO)])

    response = collect("get", logo)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == LOGO


@override_settings(MEDIA_X_ACCEL_PREFIX="/protected-media/")
def test_behind_nginx_the_media_bytes_go_out_through_x_accel_redirect(collect, project, alice):
    version = _with_media(project, alice, {"logo.png": LOGO})
    stored = version.attachments.get(name="logo.png").file.name
    files = media_files(collect("get", path(listed(collect, "with_media")["manifestUrl"])))
    url = path(files["logo.png"]["downloadUrl"])

    response = collect("get", url)
    cached = collect("get", url, headers={"If-None-Match": response["ETag"]})

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{stored}"
    assert response["Content-Type"] == "image/png"
    assert response.content == b""
    assert response["ETag"] == f'"{hashlib.md5(LOGO).hexdigest()}"'
    assert cached.status_code == 304
    assert not cached.has_header("X-Accel-Redirect")


@override_settings(MEDIA_X_ACCEL_PREFIX="/protected-media/")
def test_x_accel_redirect_only_after_the_permission_check(client, collect, project, alice):
    _with_media(project, alice, {"logo.png": LOGO})
    files = media_files(collect("get", path(listed(collect, "with_media")["manifestUrl"])))
    url = files["logo.png"]["downloadUrl"]
    plain = "/projects/" + url.split("/projects/", 1)[1]

    anonymous = client.get(plain, HTTP_X_OPENROSA_VERSION="1.0")
    unknown = collect("get", path(url).removesuffix("logo.png") + "other.png")

    assert anonymous.status_code == 401
    assert unknown.status_code == 404
    assert not anonymous.has_header("X-Accel-Redirect")
    assert not unknown.has_header("X-Accel-Redirect")


@pytest.fixture
def kept_lists(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.HOUSEHOLD_LIST_KEEP_SECONDS = 600
    return tmp_path / "cache" / "household-lists"


def _list_url(collect):
    files = media_files(collect("get", path(listed(collect, "hh_visit")["manifestUrl"])))
    return path(files["households.csv"]["downloadUrl"])


def test_a_list_is_rendered_once_for_its_token_and_each_download_is_logged(
    collect, visit, households, kept_lists
):
    url = _list_url(collect)
    first = body(collect("get", url))
    (kept,) = kept_lists.iterdir()

    with CaptureQueriesContext(connection) as queries:
        again = collect("get", url)

    # The token and the access log entry; the list's own read starts with "SET LOCAL jit".
    assert not any("jit" in q["sql"] for q in queries.captured_queries)
    assert kept.read_bytes() == first
    assert body(again) == first
    assert AccessLog.objects.filter(kind=AccessKind.DOWNLOAD_LIST).count() == 2


def test_a_changed_household_makes_a_new_list_at_once(collect, visit, households, kept_lists):
    url = _list_url(collect)
    before = body(collect("get", url))

    household = Household.objects.get(code="A-1")
    household.label = "A-1 renamed"
    household.save()
    after = body(collect("get", url))

    assert b"A-1 renamed" in after
    assert b"A-1 renamed" not in before
    assert len(list(kept_lists.iterdir())) == 2


def test_a_phone_hanging_up_mid_list_keeps_nothing(collect, visit, households, kept_lists):
    response = collect("get", _list_url(collect))
    stream = iter(response.streaming_content)
    next(stream)
    response.close()

    assert [p.name for p in kept_lists.iterdir()] == []


def test_an_old_list_is_rendered_again(collect, visit, households, kept_lists):
    url = _list_url(collect)
    body(collect("get", url))
    (kept,) = kept_lists.iterdir()
    kept.write_bytes(b"stale")
    os.utime(kept, (0, 0))

    assert body(collect("get", url)) != b"stale"


def test_a_manifest_asked_again_is_read_without_a_query(
    collect, visit, households, django_assert_num_queries
):
    url = path(listed(collect, "hh_visit")["manifestUrl"])
    first = collect("get", url)
    assert {"households.csv", "villages.csv"} <= set(media_files(first))

    # The role came with the token; the list's token and the villages are kept per scope, the
    # caller's areas for their keys (backend/households/list_tokens.py, backend/areas/lists.py,
    # backend/accounts/kept_scope.py).
    with django_assert_num_queries(0):
        again = collect("get", url)

    assert again.content == first.content


def test_a_new_assignment_changes_the_kept_list_token_at_once(
    collect, visit, households, project, bob
):
    url = path(listed(collect, "hh_visit")["manifestUrl"])
    before = media_files(collect("get", url))["households.csv"]["hash"]
    other = Household.objects.get(code="B-1")
    membership = project.memberships.get(user=bob)

    membership.areas.add(other.village)
    after = media_files(collect("get", url))["households.csv"]["hash"]

    assert before != after
