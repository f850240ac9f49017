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
