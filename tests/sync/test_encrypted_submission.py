"""Encrypted forms: the XML part is a manifest; the real XML and media arrive encrypted."""

import pytest

from backend.submissions.models import AttachmentState, Submission
from forms.services import Upload, form_publish
from tests.forms import mdforms
from tests.sync.submissions import multipart

ENCRYPTED_FORM = mdforms.SIMPLE.replace(
    "| form_id | version | form_title  |", "| form_id | version | form_title  | public_key |"
).replace("| simple  | 1       | Simple form |", "| secret  | 1       | Secret form | MIIBIjAN |")


def manifest(instance_id: str | None = "uuid:enc-1") -> bytes:
    meta = (
        f'<meta xmlns="http://openrosa.org/xforms"><instanceID>{instance_id}</instanceID></meta>'
        if instance_id
        else ""
    )
    return (
        '<data xmlns="http://opendatakit.org/submissions" id="secret" version="1" encrypted="yes">'
        "<base64EncryptedKey>a2V5</base64EncryptedKey>"
        f"{meta}<media><file>a.jpg.enc</file></media>"
        "<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        "<base64EncryptedElementSignature>c2ln</base64EncryptedElementSignature></data>"
    ).encode()


@pytest.fixture
def secret_form(project, alice):
    version = form_publish(
        project=project, source=Upload("s.md", ENCRYPTED_FORM.encode()), published_by=alice
    ).version
    assert "base64RsaPublicKey" in version.xform
    return version


def test_encrypted_submission_keeps_its_encrypted_parts(collect, secret_form):
    response = collect(
        "post",
        "submission",
        data=multipart(
            manifest(), ("submission.xml.enc", b"\x01cipher"), ("a.jpg.enc", b"\x02cipher")
        ),
    )

    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.encrypted
    assert submission.complete
    assert sorted(
        a.name for a in submission.attachments.filter(state=AttachmentState.RECEIVED)
    ) == [
        "a.jpg.enc",
        "submission.xml.enc",
    ]
    assert submission.fields == {}


def test_encrypted_manifest_without_instance_id_is_400(collect, secret_form):
    response = collect("post", "submission", data=multipart(manifest(instance_id=None)))

    assert response.status_code == 400
    assert not Submission.objects.exists()
