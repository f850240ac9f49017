"""Manifest, media files, the household entity list and integrity (docs/openrosa.md)."""

import csv
import hashlib
import io
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import time_machine

from backend.accounts.models import DeviceToken
from backend.audit.models import AccessKind, AccessLog
from backend.households.models import Household
from forms.services import Upload, form_attach, form_publish
from tests.forms import mdforms
from tests.sync.conftest import body

NS = "{http://openrosa.org/xforms/xformsManifest}"
LIST_NS = "{http://openrosa.org/xforms/xformsList}"


def listed(collect, form_id):
    root = ElementTree.fromstring(collect("get", f"formList?formID={form_id}").content)
    (xform,) = root
    return {c.tag.removeprefix(LIST_NS): c.text for c in xform}


def media_files(response):
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{NS}manifest"
    assert all(e.tag.startswith(NS) for e in root.iter())
    return {
        m.find(f"{NS}filename").text: {
            "type": m.get("type"),
            **{c.tag.removeprefix(NS): c.text for c in m},
        }
        for m in root
    }


def path(url):
    return url.removeprefix("http://testserver")


def test_manifest_lists_uploaded_media_with_md5(collect, project, alice):
    version = form_publish(
        project=project, source=Upload("m.md", mdforms.WITH_MEDIA.encode()), published_by=alice
    ).version
    form_attach(version=version, uploads=[Upload("crops.csv", b"name,label\nm,Maize\n")])

    response = collect("get", path(listed(collect, "with_media")["manifestUrl"]))

    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"].startswith("text/xml")
    files = media_files(response)
    # logo.png was never uploaded: it is left out rather than offered broken.
    assert set(files) == {"crops.csv"}
    assert files["crops.csv"]["hash"] == "md5:" + hashlib.md5(b"name,label\nm,Maize\n").hexdigest()
    assert files["crops.csv"]["type"] is None


def test_media_download_matches_hash_and_honours_etag(collect, project, alice):
    version = form_publish(
        project=project, source=Upload("m.md", mdforms.WITH_MEDIA.encode()), published_by=alice
    ).version
    form_attach(version=version, uploads=[Upload("logo.png", b"\x89PNG fake")])
    files = media_files(collect("get", path(listed(collect, "with_media")["manifestUrl"])))
    url = path(files["logo.png"]["downloadUrl"])

    first = collect("get", url)
    body = b"".join(first.streaming_content)
    cached = collect("get", url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert "md5:" + hashlib.md5(body).hexdigest() == files["logo.png"]["hash"]
    assert first["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    assert cached.status_code == 304
    assert cached.content == b""


def test_household_list_is_an_entity_list_with_integrity(collect, visit, households):
    files = media_files(collect("get", path(listed(collect, "hh_visit")["manifestUrl"])))

    entry = files["households.csv"]
    assert entry["type"] == "entityList"
    assert entry["integrityUrl"].startswith("http://testserver/key/")
    download = collect("get", path(entry["downloadUrl"]))
    # The hash is the list's version token (Collect treats it as opaque), also its ETag.
    assert entry["hash"] == "md5:" + download["ETag"].strip('"')
    assert body(download).startswith(b"name,label,__version,village,review_note,case_note,campaign")
    cached = collect("get", path(entry["downloadUrl"]), headers={"If-None-Match": download["ETag"]})
    assert cached.status_code == 304


def test_worker_gets_only_the_households_they_help(collect, visit, households):
    files = media_files(collect("get", path(listed(collect, "hh_visit")["manifestUrl"])))
    text = body(collect("get", path(files["households.csv"]["downloadUrl"]))).decode()

    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["name", "label", "__version"]
    assert sorted(r["hh_code"] for r in rows) == ["A-1", "A-2"]
    assert all(r["__version"] == "1" and r["village"] == "demo-v01" for r in rows)


def _list_hash(collect, manifest_url: str) -> str:
    return media_files(collect("get", manifest_url))["households.csv"]["hash"]


def test_list_hash_changes_when_a_household_changes(collect, visit, households):
    manifest_url = path(listed(collect, "hh_visit")["manifestUrl"])
    before = _list_hash(collect, manifest_url)
    same = _list_hash(collect, manifest_url)
    household = Household.objects.get(code="A-1")
    household.review_note = "请核实收入"
    household.save()

    after = _list_hash(collect, manifest_url)

    assert before == same != after


def test_a_write_past_the_models_reaches_the_manifest_once_the_kept_token_expires(
    collect, visit, households, settings
):
    manifest_url = path(listed(collect, "hh_visit")["manifestUrl"])
    before = _list_hash(collect, manifest_url)
    Household.objects.filter(code="A-1").update(review_note="请核实收入", version=2)

    kept = _list_hash(collect, manifest_url)
    later = datetime.now(UTC) + timedelta(seconds=settings.SYNC_CACHE_SECONDS + 1)
    with time_machine.travel(later):
        after = _list_hash(collect, manifest_url)

    assert kept == before != after


def test_integrity_reports_known_households_and_omits_unknown(collect, visit, households):
    known = str(households[0].uuid)
    url = f"lists/households/integrity?id={known}%2Cd3f1c0de-0000-4000-8000-000000000000"

    response = collect("get", url)

    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    root = ElementTree.fromstring(response.content)
    states = {e.get("id"): e.find("deleted").text for e in root.iter("entity")}
    assert states == {known: "false"}


def test_manifest_for_unknown_form_is_404(collect, simple):
    assert collect("get", f"forms/nope/{simple.md5}/manifest").status_code == 404


def test_download_of_unknown_form_or_hash_is_404(collect, simple):
    assert collect("get", "forms/simple/" + "0" * 32 + "/form.xml").status_code == 404


def test_old_version_stays_downloadable_by_its_hash(collect, simple, project, alice):
    form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE_V2.encode()), published_by=alice
    )

    response = collect("get", f"forms/simple/{simple.md5}/form.xml")

    assert response.status_code == 200
    assert hashlib.md5(response.content).hexdigest() == simple.md5


def test_the_list_carries_what_the_forms_read_and_each_download_is_logged_once(
    collect, visit, households, bob
):
    Household.objects.filter(code="A-1").update(
        properties={"hh_code": "A-1", "hh_size": "4", "m_idno": "1", "head_phone": "13987654321"}
    )
    files = media_files(collect("get", path(listed(collect, "hh_visit")["manifestUrl"])))
    url = path(files["households.csv"]["downloadUrl"])

    download = collect("get", url)
    text = body(download).decode()
    collect("get", url, headers={"If-None-Match": download["ETag"]})  # 304: nothing sent

    header = text.splitlines()[0].split(",")
    # The shipped visit form's lookups (forms/library/README.md), and nothing it does not read.
    assert header[7:] == [
        "dibao",
        "extreme_poor",
        "has_chronic_illness",
        "has_disabled",
        "has_elderly",
        "has_serious_illness",
        "head_name",
        "hh_code",
        "hh_size",
        "house_grade",
        "income_pc",
        "income_year",
        "labour_count",
        "last_visit",
        "n_school_age",
        "relocated",
    ]
    assert "head_phone" not in text
    assert "13987654321" not in text  # a whole number: a UUID may hold "139"
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.object_type, entry.count) == (
        bob,
        AccessKind.DOWNLOAD_LIST,
        "household_list",
        2,
    )
    assert entry.device == DeviceToken.objects.get(user=bob)
    assert entry.detail == "deviceID collect:ABCDEFGHIJKLMNOP"
