"""A photo cut short on disk is never trusted: the phone's retry writes it again, whole."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from backend.submissions.models import Submission
from tests.sync.submissions import jpeg, multipart, simple_xml


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "backend.core.durable_storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def test_the_retry_of_a_photo_left_truncated_stores_it_whole(collect, simple, on_disk):
    photo = jpeg()
    data = lambda: multipart(simple_xml("uuid:p-1"), ("a.jpg", photo))  # noqa: E731
    assert collect("post", "submission", data=data()).status_code == 201
    attachment = Submission.objects.get().attachments.get()
    stored = on_disk / attachment.file.name
    stored.write_bytes(photo[:100])  # a crash or a full disk in the middle of the write

    assert collect("post", "submission", data=data()).status_code == 201

    assert stored.read_bytes() == photo
    with default_storage.open(attachment.file.name, "rb") as again:
        assert hashlib.sha256(again.read()).hexdigest() == attachment.sha256
