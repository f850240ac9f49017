"""A fault of the server reaches the phone as an OpenRosa message, never an HTML page."""

from xml.etree import ElementTree

from backend.submissions.models import Submission
from tests.sync.submissions import jpeg, multipart, simple_xml

RESPONSE_NS = "{http://openrosa.org/http/response}"


def test_a_photo_store_that_fails_answers_500_as_openrosa(collect, simple, settings, tmp_path):
    # Where the photos go is a file, not a folder: every write fails, as on a broken disk.
    blocked = tmp_path / "media"
    blocked.write_bytes(b"")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "backend.core.durable_storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }

    response = collect(
        "post", "submission", data=multipart(simple_xml("uuid:f"), ("a.jpg", jpeg()))
    )

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/xml")
    assert response["X-OpenRosa-Version"] == "1.0"
    root = ElementTree.fromstring(response.content)
    assert root.find(f"{RESPONSE_NS}message").text.startswith("The server could not handle")
    assert not Submission.objects.exists()


def test_the_retry_of_a_submission_never_processed_queues_its_processing(collect, simple):
    data = lambda: multipart(simple_xml("uuid:lost"), ("a.jpg", jpeg()))  # noqa: E731
    assert collect("post", "submission", data=data()).status_code == 201
    # The worker that should have merged it died with the task.
    Submission.objects.update(processed_at=None, fields={})

    assert collect("post", "submission", data=data()).status_code == 201

    submission = Submission.objects.get()
    assert submission.processed_at is not None
    assert submission.fields["name"] == "Li"
