"""Junk in, clean refusal out: the XML readers raise only their own error, and the submission
endpoint answers every malformed upload with a 4xx OpenRosaResponse, never a 500 or a 2xx.

Example counts are bounded so the module stays fast; explicit @example cases pin inputs that
once broke, so they are tried on every run.
"""

import re
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backend.submissions.models import Submission
from backend.submissions.xml import Instance, InstanceError, parse_instance
from forms.xform import XFormError, XFormInfo, read_xform
from tests.sync.conftest import COLLECT_HEADERS, DEVICE

RESPONSE_NS = "{http://openrosa.org/http/response}"
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PURE = settings(max_examples=80, deadline=None)

ENCODINGS = ["utf-8", "UTF-16", "ISO-8859-1", "us-ascii", "gbk", "shift_jis", "x-nope", "rot13"]
PROLOGS = [
    "",
    '<?xml version="1.0"?>',
    "<?xml version='1.1'?>",
    "<?xml?>",
    *(f'<?xml version="1.0" encoding="{e}"?>' for e in ENCODINGS),
]
DOCTYPES = ["", "<!DOCTYPE data>", '<!DOCTYPE data [<!ENTITY x "y">]>', "<!-- c --><?pi x?>"]
NAMES = [
    "data",
    "meta",
    "orx:meta",
    "instanceID",
    "orx:instanceID",
    "deprecatedID",
    "instanceName",
    "deviceID",
    "encryptedXmlFile",
    "media",
    "file",
    "photo",
    "rooms",
    "entity",
    "label",
    "h:html",
    "h:head",
    "h:title",
    "h:body",
    "model",
    "instance",
    "bind",
    "upload",
    "repeat",
    "group",
]
ATTRIBUTES = [
    "id",
    "version",
    "encrypted",
    "nodeset",
    "type",
    "ref",
    "mediatype",
    "dataset",
    "create",
    "update",
    "src",
    "entities:saveto",
    "entities:entities-version",
    "base64RsaPublicKey",
]
NAMESPACES = (
    'xmlns:h="http://www.w3.org/1999/xhtml" xmlns:orx="http://openrosa.org/xforms" '
    'xmlns:entities="http://www.opendatakit.org/xforms/entities"'
)

# Mostly plain documents, so that the interesting part is reached more often than the prolog.
prologs = st.one_of(st.just(""), st.just(""), st.just(""), st.sampled_from(PROLOGS))
doctypes = st.just("") | st.just("") | st.sampled_from(DOCTYPES)
names = st.sampled_from(NAMES) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_.:-]{0,8}", fullmatch=True)
# Text that XML can carry (no control characters or lone surrogates), and sometimes any text.
xml_chars = st.characters(exclude_categories=("Cc", "Cs", "Cn")) | st.sampled_from("\t\n&<>\"'")
xml_text = st.text(xml_chars, max_size=16)
texts = st.one_of(*[xml_text] * 6, st.text(max_size=4))
values = (
    st.sampled_from(["", "yes", "1", "2024.1", "9999.1", "/data/x", "image/*", "jr://images/a.png"])
    | texts
)


class Doc(bytes):
    """Bytes whose repr stays short, so a failing example with 5000 nested elements is readable."""

    def __repr__(self) -> str:
        text = super().__repr__()
        if len(text) <= 600:
            return text
        return f"{text[:300]} ...[{len(self)} bytes]... {text[-200:]}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@st.composite
def elements(draw, depth: int = 0) -> str:
    name = draw(names)
    attrs = draw(st.dictionaries(st.sampled_from(ATTRIBUTES), values, max_size=3))
    attr_text = "".join(f' {k}="{_escape(v)}"' for k, v in attrs.items())
    children = [] if depth >= 2 else draw(st.lists(elements(depth + 1), max_size=3))
    text = _escape(draw(texts)) if draw(st.booleans()) else ""
    return f"<{name}{attr_text}>{text}{''.join(children)}</{name}>"


@st.composite
def mutated(draw, document: str) -> bytes:
    """Encode a document one way or another, then maybe break it a little.

    The first choice of each sampled_from is what hypothesis tries most: a clean UTF-8 document.
    """
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16"]))
    data = document.encode(encoding, "surrogatepass")
    operation = draw(st.sampled_from([None, None, None, "insert", "flip", "truncate"]))
    if data and operation is not None:
        at = draw(st.integers(1, len(data)))
        if operation == "truncate":
            data = data[:at]
        elif operation == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        else:
            data = data[: at - 1] + bytes([draw(st.integers(0, 255))]) + data[at:]
    return Doc(data)


def _nested(depth: int, inner: str = "") -> str:
    return "<a>" * depth + inner + "</a>" * depth


@st.composite
def instance_documents(draw) -> bytes:
    """Submission-shaped XML: a root with id/version, meta somewhere, arbitrary content."""
    root_attrs = draw(
        st.dictionaries(
            st.sampled_from(["id", "version", "encrypted", "xmlns"]),
            values,
            max_size=4,
        )
    )
    attrs = "".join(f' {k}="{_escape(v)}"' for k, v in root_attrs.items())
    body = "".join(draw(st.lists(elements(), max_size=4)))
    deep = _nested(draw(st.sampled_from([0, 50, 5000])))
    root = draw(st.sampled_from(["data", "orx:data", "x"]))
    document = (
        f"{draw(prologs)}{draw(doctypes)}"
        f"<{root} {NAMESPACES}{attrs}>{body}{deep}</{draw(st.just(root) | names)}>"
    )
    return draw(mutated(document))


@st.composite
def xform_documents(draw) -> bytes:
    """XForm-shaped XML: html/head/model/instance with random binds, body and nesting."""
    form_id = draw(st.none() | st.sampled_from(["f", " ", "户访"]) | values)
    attrs = "" if form_id is None else f' id="{_escape(form_id)}"'
    attrs += "".join(
        f' {k}="{_escape(v)}"'
        for k, v in draw(st.dictionaries(st.sampled_from(["version", "x"]), values)).items()
    )
    model_attrs = draw(
        st.dictionaries(st.sampled_from(["entities:entities-version", "odk:x"]), values, max_size=1)
    )
    model_attr_text = "".join(f' {k}="{_escape(v)}"' for k, v in model_attrs.items())
    depth = draw(st.sampled_from([0, 3, 200, 5000]))
    document = (
        f"{draw(prologs)}{draw(doctypes)}"
        f'<h:html xmlns="http://www.w3.org/2002/xforms" {NAMESPACES} xmlns:odk="urn:odk">'
        f"<h:head><h:title>{_escape(draw(texts))}</h:title>"
        f"<model{model_attr_text}><instance><data{attrs}>"
        f"{''.join(draw(st.lists(elements(), max_size=3)))}{_nested(depth)}</data></instance>"
        f"{''.join(draw(st.lists(elements(), max_size=3)))}</model></h:head>"
        f"<h:body>{''.join(draw(st.lists(elements(), max_size=3)))}</h:body></h:html>"
    )
    return draw(mutated(document))


junk_bytes = st.binary(max_size=400) | st.text(max_size=200).map(
    lambda t: t.encode("utf-8", "surrogatepass")
)

DEEP_XFORM = Doc(
    (
        '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
        f'<h:head><h:title>t</h:title><model><instance><data id="deep">{_nested(5000)}</data>'
        "</instance></model></h:head><h:body/></h:html>"
    ).encode()
)


# --- (a) parse_instance ---


@PURE
@given(xml=instance_documents() | junk_bytes)
@example(xml=b'<?xml version="1.0" encoding="gbk"?><data id="f"/>')
@example(xml=b'<?xml version="1.0" encoding="x-nope"?><data id="f"/>')
@example(xml=b'<?xml version="1.0" encoding="rot13"?><data id="f"/>')
@example(xml=b'<!DOCTYPE d [<!ENTITY a "b">]><data id="f">&a;</data>')
@example(xml=b"")
def test_parse_instance_raises_only_instance_error(xml):
    try:
        instance = parse_instance(xml)
    except InstanceError:
        return
    assert isinstance(instance, Instance)
    assert instance.form_id
    assert instance.form_id == instance.form_id.strip()
    # Empty when the form has no meta/instanceID: the receiving service assigns one.
    assert instance.instance_id == instance.instance_id.strip()
    assert len(instance.instance_name) <= 255
    assert len(instance.device_id) <= 255
    assert all(isinstance(name, str) and name for name in instance.encrypted_files())
    tag = instance.root.tag.rsplit("}", 1)[-1]
    assert isinstance(instance.texts_at(f"/{tag}/meta/instanceID"), list)


# --- (b) read_xform ---


@PURE
@given(xml=xform_documents() | junk_bytes)
@example(xml=DEEP_XFORM)
@example(xml=b'<?xml version="1.0" encoding="gbk"?><h:html xmlns:h="x"/>')
@example(xml=b'<?xml version="1.0" encoding="x-nope"?><h:html xmlns:h="x"/>')
def test_read_xform_raises_only_xform_error(xml):
    try:
        info = read_xform(xml)
    except XFormError:
        return
    assert isinstance(info, XFormInfo)
    assert info.form_id


# --- (c) the submission endpoint ---


def _submission_url(token: str) -> str:
    return f"/key/{token}/projects/demo/submission?{DEVICE}"


@st.composite
def endpoint_instances(draw) -> bytes:
    """Submission XML that is never acceptable: the form exists only as version 1."""
    form_id = draw(st.sampled_from(["simple", "photos", "nope", ""]))
    version = draw(st.sampled_from(["", "2", "1.0", " 0"]))
    version_attr = f' version="{version}"' if draw(st.booleans()) else ""
    body = "".join(draw(st.lists(elements(), max_size=3)))
    meta = draw(
        st.sampled_from(
            [
                "",
                "<meta><instanceID>uuid:fuzz</instanceID></meta>",
                "<orx:meta><orx:instanceID>uuid:fuzz</orx:instanceID></orx:meta>",
            ]
        )
    )
    document = (
        f"{draw(prologs)}{draw(doctypes)}"
        f'<data {NAMESPACES} id="{form_id}"{version_attr}>{body}{meta}</data>'
    )
    return draw(mutated(document))


part_names = st.sampled_from(
    ["xml_submission_file", "xml_submission_file", "a.jpg", "*isIncomplete*", "fotó_ü.jpg", ""]
) | st.text(alphabet=st.characters(codec="latin-1", exclude_characters='"\r\n'), max_size=12)


@st.composite
def parts(draw) -> bytes:
    name = draw(part_names)
    filename = draw(st.none() | st.sampled_from(["instance.xml", "a.jpg", "", "../../etc/x"]))
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    headers = [f"Content-Disposition: {disposition}"]
    content_type = draw(
        st.none() | st.sampled_from(["text/xml", "application/xml", "image/jpeg", "text/plain"])
    )
    if content_type:
        headers.append(f"Content-Type: {content_type}")
    if draw(st.integers(0, 9)) == 0:
        headers.append(draw(st.sampled_from(["Content-Transfer-Encoding: base64", "Junk", ":"])))
    payload = draw(endpoint_instances() | junk_bytes)
    return "\r\n".join(headers).encode("utf-8") + b"\r\n\r\n" + payload


@st.composite
def multipart_requests(draw) -> tuple[bytes, str]:
    boundary = draw(
        st.sampled_from(["XyZ", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "b" * 70])
        | st.from_regex(r"[A-Za-z0-9'()+_,./:=?-]{1,70}", fullmatch=True)
    )
    marker = f"--{boundary}".encode()
    body = b"".join(
        marker + b"\r\n" + part + b"\r\n" for part in draw(st.lists(parts(), max_size=4))
    )
    body += marker + b"--\r\n"
    cut = draw(st.none() | st.integers(0, len(body)))
    if cut is not None:
        body = body[:cut]
    content_type = draw(
        st.sampled_from(
            [
                f"multipart/form-data; boundary={boundary}",
                f'multipart/form-data; boundary="{boundary}"',
                f"multipart/form-data; boundary={boundary}; charset=bogus",
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "multipart/form-data; boundary=other",
                f"multipart/mixed; boundary={boundary}",
                "text/xml",
            ]
        )
    )
    return Doc(body), content_type


content_types = st.sampled_from(
    [
        "text/xml",
        "application/xml",
        "application/octet-stream",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=XyZ",
        "",
    ]
) | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


def _assert_clean_refusal(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["X-OpenRosa-Version"] == "1.0"
    assert int(response["X-OpenRosa-Accept-Content-Length"]) > 0
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    message = root.find(f"{RESPONSE_NS}message")
    assert message is not None
    assert message.get("nature") == "error"
    assert (message.text or "").strip()


def _assert_still_serving(token: str) -> None:
    head = Client().head(_submission_url(token), headers=COLLECT_HEADERS)
    assert head.status_code == 204


@pytest.mark.django_db
@FUZZ
@given(request=multipart_requests())
@example(request=(b"", "multipart/form-data"))
@example(
    request=(b"--XyZ\r\nContent-Disposition: form-data; name=", "multipart/form-data; boundary=XyZ")
)
@example(
    request=(
        b'--XyZ\r\nContent-Disposition: form-data; name="xml_submission_file"; '
        b'filename="i.xml"\r\nContent-Type: text/xml\r\n\r\n'
        b'<?xml version="1.0" encoding="gbk"?><data id="simple" version="1"/>\r\n--XyZ--\r\n',
        "multipart/form-data; boundary=XyZ",
    )
)
def test_junk_multipart_uploads_get_a_4xx(bob_token, simple, photos, request):
    body, content_type = request

    response = Client().generic(
        "POST",
        _submission_url(bob_token),
        body,
        content_type=content_type,
        headers=COLLECT_HEADERS,
    )

    _assert_clean_refusal(response)
    assert not Submission.objects.exists()
    _assert_still_serving(bob_token)


@pytest.mark.django_db
@FUZZ
@given(body=junk_bytes | endpoint_instances(), content_type=content_types)
@example(body=b"<data/>", content_type="text/xml")
@example(body=b"", content_type="")
def test_junk_bodies_of_any_content_type_get_a_4xx(bob_token, simple, body, content_type):
    response = Client().generic(
        "POST",
        _submission_url(bob_token),
        body,
        content_type=content_type,
        headers=COLLECT_HEADERS,
    )

    _assert_clean_refusal(response)
    assert not Submission.objects.exists()
    _assert_still_serving(bob_token)


@pytest.mark.django_db
@FUZZ
@given(xml=endpoint_instances() | junk_bytes)
@example(xml=b'<?xml version="1.0" encoding="gbk"?><data id="simple" version="1"/>')
@example(
    xml=b'<?xml version="1.0" encoding="x-nope"?><data id="simple" version="1">'
    b"<meta><instanceID>uuid:1</instanceID></meta></data>"
)
@example(xml=b"<test")
def test_junk_xml_submission_files_get_a_4xx(bob_token, simple, photos, xml):
    boundary = "----fuzz"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="xml_submission_file"; filename="i.xml"\r\n'
            "Content-Type: text/xml\r\n\r\n"
        ).encode()
        + xml
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = Client().generic(
        "POST",
        _submission_url(bob_token),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=COLLECT_HEADERS,
    )

    _assert_clean_refusal(response)
    assert not Submission.objects.exists()
    _assert_still_serving(bob_token)


@pytest.mark.django_db
@pytest.mark.parametrize("length", ["abc", "1e3", " ", "12, 12", "-1", "²", "1²"])
def test_a_non_numeric_content_length_is_refused_cleanly(bob_token, simple, length):
    """Django reads such a body as empty; the view must not crash re-reading the header."""
    response = Client(raise_request_exception=False).generic(
        "POST",
        _submission_url(bob_token),
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
        headers=COLLECT_HEADERS,
        CONTENT_LENGTH=length,
    )

    _assert_clean_refusal(response)


@pytest.mark.django_db
def test_a_flood_of_form_fields_is_refused_with_an_envelope(bob_token, simple, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    data = {f"field{i}": "x" for i in range(10)}

    response = Client(raise_request_exception=False).post(
        _submission_url(bob_token), data=data, headers=COLLECT_HEADERS
    )

    _assert_clean_refusal(response)


# --- (d) Authorization headers and tokens ---

schemes = st.sampled_from(["Digest", "digest", "Basic", "Bearer", ""])
credentials = st.text(
    alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=120
) | st.lists(
    st.tuples(
        st.sampled_from(
            ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce", "x"]
        ),
        st.text(alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=20),
        st.booleans(),
    ),
    max_size=8,
).map(lambda items: ", ".join(f'{k}="{v}"' if q else f"{k}={v}" for k, v, q in items))


@pytest.mark.django_db
@FUZZ
@given(scheme=schemes, value=credentials, secure=st.booleans())
@example(scheme="Digest", value="garbage", secure=False)
@example(scheme="Digest", value="username=", secure=False)
@example(scheme="Basic", value="éé", secure=True)
def test_junk_authorization_headers_get_a_challenge(bob, simple, scheme, value, secure):
    authorization = f"{scheme} {value}" if scheme else value

    response = Client().get(
        f"/projects/demo/formList?{DEVICE}",
        headers={**COLLECT_HEADERS, "Authorization": authorization},
        secure=secure,
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Digest realm="household-visits"')
    assert ("Basic realm=" in response["WWW-Authenticate"]) is secure


@pytest.mark.django_db
@FUZZ
@given(token=st.text(alphabet="ABCxyz019_-.~!$*'()%é", min_size=1, max_size=140))
@example(token="A" * 64)
@example(token="A" * 43)
def test_junk_tokens_get_401_or_403(bob_token, simple, token):
    url = f"/key/{quote(token, safe='')}/projects/demo/formList?{DEVICE}"

    response = Client().get(url, headers=COLLECT_HEADERS)

    well_formed = re.fullmatch(r"[A-Za-z0-9_-]{43,128}", token) is not None
    assert response.status_code == (403 if well_formed else 401)
    _assert_clean_refusal(response)
