"""Who may talk to the OpenRosa endpoints, exactly as ODK Collect (okhttp-digest) does it.

Digest over plain HTTP, Basic over HTTPS only, and device tokens in the URL (docs/openrosa.md,
"Authentication"). Requests go through Django's real test client.
"""

import base64
import hashlib
import re
import time
import uuid
from types import SimpleNamespace
from urllib.request import parse_http_list, parse_keqv_list
from xml.etree import ElementTree

import pytest
from django.contrib.auth import hashers
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.accounts.models import User
from backend.accounts.services import device_token_issue, device_token_revoke
from backend.projects.models import Role
from backend.submissions.models import Submission
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.sync.conftest import COLLECT_HEADERS, DEVICE, basic

PASSWORD = "secret-pass-123"
REALM = "household-visits"
RESPONSE_NS = "{http://openrosa.org/http/response}"
FORM_LIST = f"/projects/demo/formList?{DEVICE}"
SUBMISSION = f"/projects/demo/submission?{DEVICE}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nonce counts and verified Basic credentials live in the cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def parse_challenge(response) -> dict[str, str]:
    """The Digest challenge of a 401, as okhttp-digest reads it."""
    header = response["WWW-Authenticate"]
    scheme, _, rest = header.partition(" ")
    assert scheme == "Digest"
    return parse_keqv_list(parse_http_list(rest.split(", Basic ")[0]))


def digest_header(
    method: str,
    uri: str,
    challenge: dict[str, str],
    *,
    username: str = "bob",
    password: str = PASSWORD,
    nc: int = 1,
    cnonce: str | None = None,
    realm: str | None = None,
) -> str:
    """An Authorization header built the way okhttp-digest builds it (qop=auth, MD5)."""
    realm = realm or challenge["realm"]
    nonce, count = challenge["nonce"], f"{nc:08x}"
    cnonce = cnonce or uuid.uuid4().hex[:16]
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    response = _md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
    return (
        f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{response}", qop=auth, nc={count}, cnonce="{cnonce}", algorithm=MD5, '
        f'opaque="{challenge.get("opaque", "")}"'
    )


def headers_with(authorization: str) -> dict[str, str]:
    return {**COLLECT_HEADERS, "Authorization": authorization}


def first_challenge(client: Client | None = None, path: str = FORM_LIST) -> dict[str, str]:
    response = (client or Client()).get(path, headers=COLLECT_HEADERS)
    assert response.status_code == 401
    return parse_challenge(response)


def instance_xml(instance_id: str | None = None, name: str = "Ann") -> bytes:
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    return (
        f'<data id="simple" version="1"><name>{name}</name><where/><photo/>'
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def submission_body(xml: bytes) -> dict[str, SimpleUploadedFile]:
    return {"xml_submission_file": SimpleUploadedFile("s.xml", xml, content_type="text/xml")}


def assert_openrosa_error(response) -> str:
    """Collect shows the first unprefixed <message> of an OpenRosaResponse."""
    assert b"OpenRosaResponse" in response.content
    assert re.search(rb"<message[\s>]", response.content)
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    message = root.find(f"{RESPONSE_NS}message")
    assert message is not None
    assert message.get("nature") == "error"
    assert (message.text or "").strip()
    return message.text


def assert_fresh_challenge(response, *, stale: bool = False) -> dict[str, str]:
    assert response.status_code == 401
    header = response["WWW-Authenticate"]
    assert header.startswith(f'Digest realm="{REALM}", qop="auth", nonce="')
    assert ("stale=true" in header) is stale
    assert_openrosa_error(response)
    return parse_challenge(response)


# --- Digest ---


def test_digest_round_trip_as_collect_does_it(bob, simple):
    response = Client().get(FORM_LIST, headers=COLLECT_HEADERS)

    assert response.status_code == 401
    header = response["WWW-Authenticate"]
    assert re.fullmatch(
        rf'Digest realm="{REALM}", qop="auth", nonce="[^"]+", opaque="[^"]+", '
        r"algorithm=MD5, charset=UTF-8",
        header,
    )
    challenge = parse_challenge(response)

    client = Client()
    listed = client.get(FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge)))
    assert listed.status_code == 200
    assert b"<formID>simple</formID>" in listed.content

    head = client.head(
        SUBMISSION, headers=headers_with(digest_header("HEAD", SUBMISSION, challenge, nc=2))
    )
    assert head.status_code == 204
    assert head["X-OpenRosa-Version"] == "1.0"
    assert int(head["X-OpenRosa-Accept-Content-Length"]) > 0
    assert head.content == b""

    xml = instance_xml("uuid:digest-1")
    posted = client.post(
        SUBMISSION,
        data=submission_body(xml),
        headers=headers_with(digest_header("POST", SUBMISSION, challenge, nc=3)),
    )
    assert posted.status_code == 201
    assert b"OpenRosaResponse" in posted.content
    saved = Submission.objects.get(instance_id="uuid:digest-1")
    assert saved.submitted_by == bob
    assert saved.device_token is None
    assert saved.form == simple.form
    assert saved.xml.encode() == xml


def test_digest_without_query_string_verifies_the_bare_path(bob, simple):
    path = "/projects/demo/formList"
    challenge = first_challenge(path=path)

    response = Client().get(path, headers=headers_with(digest_header("GET", path, challenge)))

    assert response.status_code == 200


def test_a_replayed_nonce_count_is_refused_with_a_fresh_challenge(bob, simple):
    challenge = first_challenge()
    same = digest_header("GET", FORM_LIST, challenge, nc=1, cnonce="0a4f113b0a4f113b")
    assert Client().get(FORM_LIST, headers=headers_with(same)).status_code == 200

    replay = Client().get(FORM_LIST, headers=headers_with(same))

    fresh = assert_fresh_challenge(replay)
    assert fresh["nonce"]
    third = digest_header("GET", FORM_LIST, challenge, nc=3, cnonce="0a4f113b0a4f113b")
    assert Client().get(FORM_LIST, headers=headers_with(third)).status_code == 200
    lower = digest_header("GET", FORM_LIST, challenge, nc=2, cnonce="0a4f113b0a4f113b")
    assert_fresh_challenge(Client().get(FORM_LIST, headers=headers_with(lower)))


def test_a_stale_nonce_with_the_right_password_gets_stale_true(bob, simple, monkeypatch):
    challenge = first_challenge()
    later = time.time() + 301  # OPENROSA_NONCE_SECONDS is 300
    monkeypatch.setattr("sync.auth.time", SimpleNamespace(time=lambda: later))

    response = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )

    renewed = assert_fresh_challenge(response, stale=True)
    assert renewed["nonce"] != challenge["nonce"]
    retry = Client().get(FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, renewed)))
    assert retry.status_code == 200


def test_a_nonce_older_than_the_setting_is_stale(bob, simple, settings):
    challenge = first_challenge()
    settings.OPENROSA_NONCE_SECONDS = -1

    response = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )

    assert_fresh_challenge(response, stale=True)


def test_a_stale_nonce_with_a_wrong_password_is_not_called_stale(bob, simple, settings):
    challenge = first_challenge()
    settings.OPENROSA_NONCE_SECONDS = -1

    wrong = digest_header("GET", FORM_LIST, challenge, password="nope")
    response = Client().get(FORM_LIST, headers=headers_with(wrong))

    assert_fresh_challenge(response, stale=False)


def test_a_wrong_password_gets_a_challenge_not_403(bob, simple):
    challenge = first_challenge()

    wrong = digest_header("GET", FORM_LIST, challenge, password="not-the-password")
    response = Client().get(FORM_LIST, headers=headers_with(wrong))

    assert_fresh_challenge(response)


def test_an_unknown_user_gets_a_challenge(bob, simple):
    challenge = first_challenge()

    ghost = digest_header("GET", FORM_LIST, challenge, username="ghost")
    response = Client().get(FORM_LIST, headers=headers_with(ghost))

    assert_fresh_challenge(response)


def test_a_forged_nonce_is_refused(bob, simple):
    challenge = first_challenge()
    stamp, _, mac = challenge["nonce"].partition(".")
    forgeries = [
        f"{stamp}.{'0' * len(mac)}",
        f"{int(stamp) + 10}.{mac}",
        "not-a-nonce",
        f"{stamp}",
    ]

    for nonce in forgeries:
        header = digest_header("GET", FORM_LIST, {**challenge, "nonce": nonce})
        assert_fresh_challenge(Client().get(FORM_LIST, headers=headers_with(header)))


def test_a_digest_for_another_realm_is_refused(bob, simple):
    challenge = first_challenge()

    other = digest_header("GET", FORM_LIST, challenge, realm="elsewhere")
    response = Client().get(FORM_LIST, headers=headers_with(other))

    assert_fresh_challenge(response)


def test_a_digest_computed_for_another_uri_is_refused(bob, simple):
    challenge = first_challenge()

    for_form_list = digest_header("HEAD", FORM_LIST, challenge)
    response = Client().head(SUBMISSION, headers=headers_with(for_form_list))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")


def test_a_digest_with_the_uri_of_the_request_but_another_method_is_refused(bob, simple):
    challenge = first_challenge()

    as_get = digest_header("GET", SUBMISSION, challenge)
    response = Client().head(SUBMISSION, headers=headers_with(as_get))

    assert response.status_code == 401


def test_a_digest_without_the_device_id_query_is_refused(bob, simple):
    challenge = first_challenge()

    bare = digest_header("GET", "/projects/demo/formList", challenge)
    response = Client().get(FORM_LIST, headers=headers_with(bare))

    assert_fresh_challenge(response)


def test_a_digest_for_a_user_without_ha1_is_refused(bob, simple):
    User.objects.filter(pk=bob.pk).update(digest_ha1="")
    challenge = first_challenge()

    response = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )

    assert_fresh_challenge(response)


def test_a_user_made_with_create_user_can_sign_in_with_digest(project, simple):
    """`createsuperuser` and scripts create users through the manager, not set_password."""
    carol = User.objects.create_user(username="carol", password=PASSWORD)
    MembershipFactory(project=project, user=carol, role=Role.COLLECTOR)
    challenge = first_challenge()

    header = digest_header("GET", FORM_LIST, challenge, username="carol")
    response = Client().get(FORM_LIST, headers=headers_with(header))

    assert response.status_code == 200


def test_a_deactivated_user_cannot_use_digest(bob, simple):
    User.objects.filter(pk=bob.pk).update(is_active=False)
    challenge = first_challenge()

    response = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )

    assert_fresh_challenge(response)


@pytest.mark.parametrize(
    "credentials",
    [
        "garbage",
        'username="bob", realm',
        "username=",
        'username="bob", realm="household-visits", nonce=, uri="/x", response="y"',
        ",,,",
        "=",
        '"',
    ],
)
def test_a_malformed_digest_header_gets_a_challenge_not_a_crash(bob, simple, credentials):
    client = Client(raise_request_exception=False)

    response = client.get(FORM_LIST, headers=headers_with(f"Digest {credentials}"))

    assert_fresh_challenge(response)


def test_a_non_ascii_digest_response_gets_a_challenge_not_a_crash(bob, simple):
    challenge = first_challenge()
    header = digest_header("GET", FORM_LIST, challenge)
    header = re.sub(r'response="[0-9a-f]+"', 'response="é"', header)
    client = Client(raise_request_exception=False)

    response = client.get(FORM_LIST, headers=headers_with(header))

    assert_fresh_challenge(response)


def test_a_non_ascii_nonce_gets_a_challenge_not_a_crash(bob, simple):
    challenge = first_challenge()
    stamp = challenge["nonce"].partition(".")[0]
    header = digest_header("GET", FORM_LIST, {**challenge, "nonce": f"{stamp}.é"})
    client = Client(raise_request_exception=False)

    response = client.get(FORM_LIST, headers=headers_with(header))

    assert_fresh_challenge(response)


def test_a_non_ascii_password_works_with_digest_over_utf8(project, simple):
    wang = UserFactory(username="wang", password="pässwörd-ü")
    MembershipFactory(project=project, user=wang, role=Role.COLLECTOR)
    challenge = first_challenge()
    assert challenge["charset"] == "UTF-8"

    header = digest_header("GET", FORM_LIST, challenge, username="wang", password="pässwörd-ü")
    response = Client().get(FORM_LIST, headers=headers_with(header))

    assert response.status_code == 200
    wang.refresh_from_db()
    assert wang.digest_ha1 == hashlib.md5(f"wang:{REALM}:pässwörd-ü".encode()).hexdigest()


def test_no_cookies_are_needed_between_digest_requests(bob, simple):
    challenge = first_challenge()
    first = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )
    assert first.status_code == 200
    assert not first.cookies

    second_client = Client()
    second = second_client.head(
        SUBMISSION, headers=headers_with(digest_header("HEAD", SUBMISSION, challenge, nc=2))
    )

    assert not second_client.cookies
    assert second.status_code == 204


# --- Basic (HTTPS only) ---


def test_basic_over_plain_http_is_not_accepted_and_not_offered(bob, simple):
    response = Client().get(FORM_LIST, headers=headers_with(basic("bob", PASSWORD)))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Digest ")
    assert "Basic" not in response["WWW-Authenticate"]
    assert_openrosa_error(response)


def test_basic_over_https_with_the_right_password(bob, simple):
    response = Client().get(FORM_LIST, headers=headers_with(basic("bob", PASSWORD)), secure=True)

    assert response.status_code == 200
    assert b"<formID>simple</formID>" in response.content


def test_basic_over_https_with_a_wrong_password_is_challenged_with_basic_too(bob, simple):
    response = Client().get(FORM_LIST, headers=headers_with(basic("bob", "wrong")), secure=True)

    assert response.status_code == 401
    header = response["WWW-Authenticate"]
    assert header.startswith(f'Digest realm="{REALM}"')
    assert f'Basic realm="{REALM}"' in header
    assert_openrosa_error(response)


@pytest.mark.parametrize(
    "credentials", ["", "!!!notbase64", base64.b64encode(b"no-colon").decode(), "éé"]
)
def test_malformed_basic_credentials_are_challenged(bob, simple, credentials):
    response = Client().get(
        FORM_LIST, headers=headers_with(f"Basic {credentials}".strip()), secure=True
    )

    assert response.status_code == 401
    assert "Basic realm=" in response["WWW-Authenticate"]


def test_basic_password_encoded_as_latin1_like_okhttp(project, simple):
    jose = UserFactory(username="jose", password="café-secret")
    MembershipFactory(project=project, user=jose, role=Role.COLLECTOR)
    latin1 = "Basic " + base64.b64encode("jose:café-secret".encode("latin-1")).decode()

    response = Client().get(FORM_LIST, headers=headers_with(latin1), secure=True)

    assert response.status_code == 200
    utf8 = Client().get(FORM_LIST, headers=headers_with(basic("jose", "café-secret")), secure=True)
    assert utf8.status_code == 200


def test_verified_basic_credentials_skip_the_password_hash_next_time(bob, simple, monkeypatch):
    calls = []

    def counting(password, encoded, *args, **kwargs):
        calls.append(password)
        return hashers.check_password(password, encoded, *args, **kwargs)

    monkeypatch.setattr("sync.auth.check_password", counting)
    headers = headers_with(basic("bob", PASSWORD))

    first = Client().get(FORM_LIST, headers=headers, secure=True)
    second = Client().head(SUBMISSION, headers=headers, secure=True)

    assert (first.status_code, second.status_code) == (200, 204)
    assert calls == [PASSWORD]


def test_a_wrong_basic_password_is_never_remembered(bob, simple, monkeypatch):
    calls = []

    def counting(password, encoded, *args, **kwargs):
        calls.append(password)
        return hashers.check_password(password, encoded, *args, **kwargs)

    monkeypatch.setattr("sync.auth.check_password", counting)
    headers = headers_with(basic("bob", "wrong"))

    statuses = [Client().get(FORM_LIST, headers=headers, secure=True).status_code for _ in "ab"]

    assert statuses == [401, 401]
    assert calls == ["wrong", "wrong"]


def test_remembered_basic_credentials_stop_when_the_user_is_deactivated(bob, simple):
    headers = headers_with(basic("bob", PASSWORD))
    assert Client().get(FORM_LIST, headers=headers, secure=True).status_code == 200

    User.objects.filter(pk=bob.pk).update(is_active=False)

    assert Client().get(FORM_LIST, headers=headers, secure=True).status_code == 401


def test_a_user_without_ha1_gets_digest_after_one_basic_login(bob, simple):
    User.objects.filter(pk=bob.pk).update(digest_ha1="")
    login = Client().get(FORM_LIST, headers=headers_with(basic("bob", PASSWORD)), secure=True)
    assert login.status_code == 200

    bob.refresh_from_db()
    assert bob.digest_ha1 == hashlib.md5(f"bob:{REALM}:{PASSWORD}".encode()).hexdigest()
    challenge = first_challenge()
    response = Client().get(
        FORM_LIST, headers=headers_with(digest_header("GET", FORM_LIST, challenge))
    )
    assert response.status_code == 200


# --- Device tokens ---


def token_url(token: str, rest: str = "formList", slug: str = "demo") -> str:
    return f"/key/{token}/projects/{slug}/{rest}?{DEVICE}"


def test_a_token_url_needs_no_authorization(bob_token, simple):
    response = Client().get(token_url(bob_token), headers=COLLECT_HEADERS)

    assert response.status_code == 200
    assert b"<formID>simple</formID>" in response.content


def test_a_token_submission_is_recorded_with_its_token(bob, bob_token, simple):
    response = Client().post(
        token_url(bob_token, "submission"),
        data=submission_body(instance_xml("uuid:tok-1")),
        headers=COLLECT_HEADERS,
    )

    assert response.status_code == 201
    saved = Submission.objects.get(instance_id="uuid:tok-1")
    assert saved.submitted_by == bob
    assert saved.device_token is not None
    assert saved.device_token.user == bob
    assert saved.device_token.last_used_at is not None


@pytest.mark.parametrize("token", ["short", "x" * 42, "x" * 129, "a.b" * 20, "%2E" * 20])
def test_a_malformed_token_gets_a_challenge(bob, simple, token):
    response = Client().get(token_url(token), headers=COLLECT_HEADERS)

    assert_fresh_challenge(response)


def test_a_well_formed_unknown_token_is_403_with_a_message(bob, simple):
    unknown = "Ab-_" * 16

    response = Client().get(token_url(unknown), headers=COLLECT_HEADERS)

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response
    assert "revoked" in assert_openrosa_error(response)


def test_a_revoked_token_is_403(bob, bob_token, simple):
    token = bob.device_tokens.get()
    device_token_revoke(token=token)

    for rest in ("formList", "submission"):
        response = Client().get(token_url(bob_token, rest), headers=COLLECT_HEADERS)
        assert response.status_code == 403
        assert_openrosa_error(response)
    posted = Client().post(
        token_url(bob_token, "submission"),
        data=submission_body(instance_xml("uuid:after-revoke")),
        headers=COLLECT_HEADERS,
    )
    assert posted.status_code == 403
    assert not Submission.objects.filter(instance_id="uuid:after-revoke").exists()


def test_a_token_opens_its_own_project_only(bob, bob_token, simple):
    other = ProjectFactory(slug="other", name="Other")
    MembershipFactory(project=other, user=bob, role=Role.COLLECTOR)

    listed = Client().get(token_url(bob_token, slug="other"), headers=COLLECT_HEADERS)
    head = Client().head(token_url(bob_token, "submission", slug="other"), headers=COLLECT_HEADERS)

    assert listed.status_code == 404
    assert head.status_code == 404
    assert_openrosa_error(listed)


def test_a_deactivated_users_token_is_403(bob, bob_token, simple):
    User.objects.filter(pk=bob.pk).update(is_active=False)

    response = Client().get(token_url(bob_token), headers=COLLECT_HEADERS)

    assert response.status_code == 403
    assert_openrosa_error(response)


def test_a_token_whose_user_left_the_project_is_404(bob, bob_token, simple):
    bob.memberships.all().delete()

    response = Client().get(token_url(bob_token), headers=COLLECT_HEADERS)

    assert response.status_code == 404


def test_the_token_ignores_an_authorization_header(bob_token, simple, alice):
    """A token URL is Bob's phone even if some header claims to be Alice."""
    headers = headers_with(basic("alice", PASSWORD))

    response = Client().post(
        token_url(bob_token, "submission"),
        data=submission_body(instance_xml("uuid:who")),
        headers=headers,
        secure=True,
    )

    assert response.status_code == 201
    assert Submission.objects.get(instance_id="uuid:who").submitted_by.username == "bob"


def test_every_url_in_a_token_form_list_keeps_the_token(bob_token, simple, visit, households):
    prefix = f"http://testserver/key/{bob_token}/"
    listed = Client().get(token_url(bob_token), headers=COLLECT_HEADERS)
    ns = "{http://openrosa.org/xforms/xformsList}"
    root = ElementTree.fromstring(listed.content)
    urls = [e.text for tag in ("downloadUrl", "manifestUrl") for e in root.iter(f"{ns}{tag}")]
    manifests = [e.text for e in root.iter(f"{ns}manifestUrl")]
    assert len(urls) == 3
    assert len(manifests) == 1

    mns = "{http://openrosa.org/xforms/xformsManifest}"
    manifest = Client().get(manifests[0].removeprefix("http://testserver"), headers=COLLECT_HEADERS)
    assert manifest.status_code == 200
    media = [
        e.text
        for tag in ("downloadUrl", "integrityUrl")
        for e in ElementTree.fromstring(manifest.content).iter(f"{mns}{tag}")
    ]
    assert media

    for url in urls + media:
        assert url.startswith(prefix), url
        fetched = Client().get(url.removeprefix("http://testserver"), headers=COLLECT_HEADERS)
        assert fetched.status_code == 200, url


# --- Who may see the project ---


def _digest_request(method: str, username: str, *, path: str):
    challenge = parse_challenge(getattr(Client(), method)(path, headers=COLLECT_HEADERS))
    header = digest_header(method.upper(), path, challenge, username=username)
    return getattr(Client(), method)(path, headers=headers_with(header))


def test_an_outsider_gets_the_same_404_as_for_a_missing_project(alice, mallory, simple):
    outsider_list = _digest_request("get", "mallory", path=FORM_LIST)
    outsider_head = _digest_request("head", "mallory", path=SUBMISSION)
    nowhere = _digest_request("get", "alice", path=f"/projects/nope/formList?{DEVICE}")
    nowhere_head = _digest_request("head", "alice", path=f"/projects/nope/submission?{DEVICE}")

    assert outsider_list.status_code == outsider_head.status_code == 404
    assert nowhere.status_code == nowhere_head.status_code == 404
    assert outsider_list.content == nowhere.content
    assert outsider_head.content == nowhere_head.content
    assert_openrosa_error(outsider_list)


def test_an_outsider_cannot_post_a_submission(mallory, simple):
    challenge = first_challenge()

    response = Client().post(
        SUBMISSION,
        data=submission_body(instance_xml("uuid:mallory")),
        headers=headers_with(digest_header("POST", SUBMISSION, challenge, username="mallory")),
    )

    assert response.status_code == 404
    assert_openrosa_error(response)
    assert not Submission.objects.filter(instance_id="uuid:mallory").exists()


# --- Headers on every answer ---


def _status_200(client, token):
    return client.get(token_url(token), headers=COLLECT_HEADERS)


def _status_201(client, token):
    xml = instance_xml()
    return client.post(
        token_url(token, "submission"), data=submission_body(xml), headers=COLLECT_HEADERS
    )


def _status_204(client, token):
    return client.head(token_url(token, "submission"), headers=COLLECT_HEADERS)


def _status_400(client, token):
    return client.post(
        token_url(token, "submission"),
        data=instance_xml(),
        content_type="text/xml",
        headers=COLLECT_HEADERS,
    )


def _status_401(client, token):
    return client.get(FORM_LIST, headers=COLLECT_HEADERS)


def _status_403(client, token):
    return client.get(token_url("Z" * 64), headers=COLLECT_HEADERS)


def _status_404(client, token):
    return client.get(token_url(token, slug="nope"), headers=COLLECT_HEADERS)


def _status_405(client, token):
    return client.put(token_url(token), headers=COLLECT_HEADERS)


def _status_409(client, token):
    url = token_url(token, "submission")
    client.post(url, data=submission_body(instance_xml("uuid:twice")), headers=COLLECT_HEADERS)
    changed = instance_xml("uuid:twice", name="Changed")
    return client.post(url, data=submission_body(changed), headers=COLLECT_HEADERS)


def _status_413(client, token):
    return client.post(
        token_url(token, "submission"),
        data=submission_body(instance_xml() + b" " * 200),
        headers=COLLECT_HEADERS,
    )


@pytest.mark.parametrize(
    ("status", "send"),
    [
        (200, _status_200),
        (201, _status_201),
        (204, _status_204),
        (400, _status_400),
        (401, _status_401),
        (403, _status_403),
        (404, _status_404),
        (405, _status_405),
        (409, _status_409),
        (413, _status_413),
    ],
)
def test_openrosa_headers_on_every_status(bob_token, simple, settings, status, send):
    if status == 413:
        settings.OPENROSA_MAX_XML_BYTES = 200

    response = send(Client(), bob_token)

    assert response.status_code == status
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["X-OpenRosa-Accept-Content-Length"] == str(
        settings.OPENROSA_MAX_SUBMISSION_BYTES
    )
    if status >= 400:
        assert_openrosa_error(response)
    if status == 201:
        assert b"OpenRosaResponse" in response.content


def test_a_submission_larger_than_announced_is_413(bob_token, simple, settings):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 1000
    body = submission_body(instance_xml())
    body["big.bin"] = SimpleUploadedFile("big.bin", b"x" * 2000)

    response = Client().post(token_url(bob_token, "submission"), data=body, headers=COLLECT_HEADERS)

    assert response.status_code == 413
    assert response["X-OpenRosa-Accept-Content-Length"] == "1000"
    assert_openrosa_error(response)
    assert not Submission.objects.exists()


# --- Methods ---


@pytest.mark.parametrize(
    ("method", "rest", "allow"),
    [
        ("put", "formList", "GET"),
        ("post", "formList", "GET"),
        ("delete", "formList", "GET"),
        ("put", "submission", "HEAD, GET, POST"),
        ("delete", "submission", "HEAD, GET, POST"),
        ("patch", "submission", "HEAD, GET, POST"),
    ],
)
def test_other_methods_get_405_with_allow(bob_token, simple, method, rest, allow):
    response = getattr(Client(), method)(token_url(bob_token, rest), headers=COLLECT_HEADERS)

    assert response.status_code == 405
    assert response["Allow"] == allow
    assert_openrosa_error(response)


def test_405_comes_before_authentication(simple):
    response = Client().put(FORM_LIST, headers=COLLECT_HEADERS)

    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_a_token_form_list_needs_the_version_header_but_not_a_date(bob_token, simple):
    headers = {k: v for k, v in COLLECT_HEADERS.items() if k != "Date"}

    assert Client().get(token_url(bob_token), headers=headers).status_code == 200
    missing = Client().get(token_url(bob_token), headers={"User-Agent": "curl"})
    assert missing.status_code == 400
    assert_openrosa_error(missing)


def test_submissions_from_a_second_user_on_another_nonce_are_independent(bob, alice, simple):
    """Nonce counts are per user: alice's first request on bob's nonce is not a replay."""
    challenge = first_challenge()
    cnonce = "1111111111111111"
    as_bob = digest_header("GET", FORM_LIST, challenge, nc=5, cnonce=cnonce)
    as_alice = digest_header("GET", FORM_LIST, challenge, username="alice", nc=1, cnonce=cnonce)

    assert Client().get(FORM_LIST, headers=headers_with(as_bob)).status_code == 200
    assert Client().get(FORM_LIST, headers=headers_with(as_alice)).status_code == 200


def test_device_token_issue_returns_a_token_the_url_accepts(bob, project, simple):
    _, secret = device_token_issue(user=bob, project=project, label="spare")

    assert re.fullmatch(r"[A-Za-z0-9_-]{64}", secret)
    assert Client().get(token_url(secret), headers=COLLECT_HEADERS).status_code == 200


def _without_qop(method: str, uri: str, challenge: dict[str, str]) -> str:
    """An RFC 2069 header (no qop, so no nonce count): what an old client or a replayer sends."""
    ha1 = _md5(f"bob:{challenge['realm']}:{PASSWORD}")
    response = _md5(f"{ha1}:{challenge['nonce']}:{_md5(f'{method}:{uri}')}")
    return (
        f'Digest username="bob", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", '
        f'uri="{uri}", response="{response}", algorithm=MD5, opaque="{challenge["opaque"]}"'
    )


def test_a_digest_without_qop_is_refused_so_a_captured_header_cannot_post_twice(bob, simple):
    captured = _without_qop("POST", SUBMISSION, first_challenge())

    for instance_id in ("uuid:replay-1", "uuid:replay-2"):
        response = Client().post(
            SUBMISSION,
            data=submission_body(instance_xml(instance_id)),
            headers=headers_with(captured),
        )
        assert_fresh_challenge(response)

    assert not Submission.objects.exists()


def test_a_qop_auth_header_posts_once_and_its_replay_is_refused(bob, simple):
    header = digest_header("POST", SUBMISSION, first_challenge())

    first = Client().post(
        SUBMISSION, data=submission_body(instance_xml("uuid:once-1")), headers=headers_with(header)
    )
    replay = Client().post(
        SUBMISSION, data=submission_body(instance_xml("uuid:once-2")), headers=headers_with(header)
    )

    assert first.status_code == 201
    assert_fresh_challenge(replay)
    assert list(Submission.objects.values_list("instance_id", flat=True)) == ["uuid:once-1"]
