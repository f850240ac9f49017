"""Files a killed request left half-written are removed once they are old; others are kept."""

import os
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

from backend.core.durable_storage import INCOMING_DIR, DurableFileSystemStorage
from backend.ops import leftovers
from backend.ops.leftovers import leftovers_remove


def _file(folder: Path, name: str, *, hours_old: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"x" * 10)
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return path


def test_old_unfinished_files_go_and_recent_ones_stay(tmp_path, monkeypatch):
    uploading = tmp_path / "uploading"
    storage = DurableFileSystemStorage(location=tmp_path / "media")
    monkeypatch.setattr(leftovers, "default_storage", storage)
    incoming = tmp_path / "media" / INCOMING_DIR
    old_upload = _file(uploading, "tmpab12.upload.jpg", hours_old=3)
    new_upload = _file(uploading, "tmpcd34.upload.jpg", hours_old=0.1)
    old_photo = _file(incoming, "tmpef56", hours_old=2)
    kept = storage.save("attachments/ab/abcdef", ContentFile(b"a whole photo"))

    with override_settings(FILE_UPLOAD_TEMP_DIR=str(uploading)):
        assert leftovers_remove() == (2, 20)

    assert not old_upload.exists()
    assert not old_photo.exists()
    assert new_upload.exists()
    assert storage.open(kept).read() == b"a whole photo"


def test_a_missing_folder_is_nothing_to_remove(tmp_path, monkeypatch):
    monkeypatch.setattr(leftovers, "default_storage", storages["default"])  # in memory in tests
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path / "never-made")):
        assert leftovers_remove() == (0, 0)
