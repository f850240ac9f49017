"""A photo whose name the web framework cleans still lands under the name its XML gives it."""

import pytest
from django.core.files.storage import default_storage

from backend.submissions.models import AttachmentState, Submission
from tests.sync.submissions import jpeg, multipart, simple_xml


@pytest.mark.parametrize(
    "name",
    [
        "folder\\photo.jpg",
        "photo\u200b.jpg",  # a zero-width space
        "photo\u202e.jpg",  # a right-to-left override
        "it's &amp; photo.jpg",
    ],
)
def test_a_photo_with_an_unusual_name_is_stored_and_the_submission_complete(collect, simple, name):
    photo = jpeg()
    xml = simple_xml("uuid:odd", photo=name.replace("&", "&amp;"))
    response = collect("post", "submission", data=multipart(xml, (name, photo)))

    assert response.status_code == 201
    submission = Submission.objects.get()
    attachment = submission.attachments.get()
    assert (attachment.name, attachment.state) == (name, AttachmentState.RECEIVED)
    assert submission.complete
    assert default_storage.open(attachment.file.name).read() == photo


def okhttp_multipart(xml: bytes, name: str, content: bytes) -> tuple[bytes, str]:
    """A body as Collect's HTTP client (OkHttp) writes it: in a part's name and file name, `"`
    and line breaks become %22 and %0A (as browsers do, WHATWG multipart/form-data)."""
    quoted = name.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")
    boundary = "okhttp-boundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="xml_submission_file"; filename="i.xml"\r\n'
        "Content-Type: text/xml\r\n\r\n"
    ).encode() + xml
    body += (
        f"\r\n--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{quoted}"; filename="{quoted}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + content
    body += f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("name", ['say "cheese".jpg', "two\nlines.jpg"])
def test_a_photo_named_with_a_quote_or_a_line_break_is_matched_as_collect_escapes_it(
    collect, simple, name
):
    photo = jpeg()
    body, content_type = okhttp_multipart(simple_xml("uuid:quoted", photo=name), name, photo)
    response = collect("post", "submission", data=body, content_type=content_type)

    assert response.status_code == 201
    submission = Submission.objects.get()
    attachment = submission.attachments.get()
    assert (attachment.name, attachment.state) == (name, AttachmentState.RECEIVED)
    assert submission.complete
    assert default_storage.open(attachment.file.name).read() == photo
