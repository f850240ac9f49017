"""A phone set up from the demo's QR code lists, downloads and submits over real HTTP, in the
order ODK Collect does it (HEAD before POST, Digest challenge before credentials)."""

import base64
import hashlib
import json
import urllib.error
import urllib.request
import uuid
import zlib
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from backend.accounts.models import User
from backend.accounts.provisioning import collect_settings, qr_text
from backend.accounts.services import device_token_issue
from backend.projects.demo import demo_load
from backend.projects.models import Project
from backend.submissions.models import Submission
from tests.sync.submissions import jpeg

pytestmark = pytest.mark.django_db(transaction=True)
LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
HEADERS = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2026.2.0"}
DEVICE = "deviceID=collect%3AABCDEFGHIJKLMNOP"


def fetch(url: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    sep = "&" if "?" in url else "?"
    request = urllib.request.Request(
        f"{url}{sep}{DEVICE}", data=body, method=method, headers={**HEADERS, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def multipart(xml: bytes, files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
    parts += [(name, name, "image/jpeg", content) for name, content in files.items()]
    body = b""
    for field, filename, kind, content in parts:
        body += (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def server_url(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.FORMS_ODK_VALIDATE = "off"
    demo_load()
    project, worker = Project.objects.get(slug="demo"), User.objects.get(username="worker")
    _, secret = device_token_issue(user=worker, project=project, label="test phone")
    payload = qr_text(
        collect_settings(
            server_url=f"{live_server.url}/key/{secret}/projects/demo", user=worker, project=project
        )
    )
    # What the phone does with the QR code.
    return json.loads(zlib.decompress(base64.b64decode(payload)))["general"]["server_url"]


def test_phone_from_qr_lists_downloads_and_submits(server_url):
    status, headers, body = fetch(f"{server_url}/formList")
    assert status == 200
    assert headers["Content-Type"].startswith("text/xml")
    forms = {x.find(f"{LIST}formID").text: x for x in ElementTree.fromstring(body)}
    assert set(forms) == {"hh_registration", "hh_visit", "housing_inspection", "village_review"}

    visit = forms["hh_visit"]
    status, _, xform = fetch(visit.find(f"{LIST}downloadUrl").text)
    assert status == 200
    assert visit.find(f"{LIST}hash").text == "md5:" + hashlib.md5(xform).hexdigest()

    status, headers, manifest = fetch(visit.find(f"{LIST}manifestUrl").text)
    assert (status, headers["X-OpenRosa-Version"]) == (200, "1.0")
    files = {m.find(f"{MANIFEST}filename").text: m for m in ElementTree.fromstring(manifest)}
    assert sorted(files) == ["households.csv", "villages.csv"]
    media = files["households.csv"]
    assert media.get("type") == "entityList"
    status, _, villages = fetch(files["villages.csv"].find(f"{MANIFEST}downloadUrl").text)
    assert len(villages.decode().splitlines()) == 4  # the header and the three demo villages
    status, _, households = fetch(media.find(f"{MANIFEST}downloadUrl").text)
    rows = households.decode().splitlines()
    assert rows[0].startswith("name,label,__version")
    assert len(rows) == 7  # the demo worker helps all six demo households

    status, headers, _ = fetch(f"{server_url}/submission", method="HEAD")
    assert status == 204
    assert int(headers["X-OpenRosa-Accept-Content-Length"]) > 1_000_000

    household = rows[1].split(",")[0]
    xml = (
        f'<data id="hh_visit" version="2026120703"><hh>{household}</hh>'
        f"<house_photo>house.jpg</house_photo>"
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()
    body, content_type = multipart(xml, {"house.jpg": jpeg()})
    status, _, answer = fetch(
        f"{server_url}/submission", method="POST", body=body, headers={"Content-Type": content_type}
    )
    assert status == 201, answer
    assert b"OpenRosaResponse" in answer
    submission = Submission.objects.get()
    assert submission.submitted_by.username == "worker"
    assert submission.attachments.get().image_ok is True


def test_password_login_uses_a_digest_challenge(server_url, live_server):
    url = f"{live_server.url}/projects/demo/formList"
    status, headers, _ = fetch(url)
    assert status == 401
    challenge = headers["WWW-Authenticate"]
    params = dict(
        part.strip().split("=", 1)
        for part in challenge.removeprefix("Digest ").split(",")
        if "=" in part
    )
    params = {k: v.strip('"') for k, v in params.items()}

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    uri = f"{urlsplit(url).path}?{DEVICE}"
    ha1 = md5(f"worker:{params['realm']}:demo-worker-2026")
    response = md5(f"{ha1}:{params['nonce']}:00000001:0a4f113b:auth:{md5('GET:' + uri)}")
    authorization = (
        f'Digest username="worker", realm="{params["realm"]}", nonce="{params["nonce"]}", '
        f'uri="{uri}", qop=auth, nc=00000001, cnonce="0a4f113b", response="{response}", '
        f'opaque="{params["opaque"]}", algorithm=MD5'
    )
    status, _, body = fetch(url, headers={"Authorization": authorization})

    assert status == 200
    assert b"hh_visit" in body
