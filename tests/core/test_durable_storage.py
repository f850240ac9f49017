"""A file saved on disk is flushed, with the directories that gained its name, before the save
returns: a power cut after the 201 must not take a photo the database says was received."""

import hashlib
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from backend.core.durable_storage import INCOMING_DIR, DurableFileSystemStorage
from backend.core.storage import store_bytes, store_file


def test_a_saved_file_and_its_new_directories_are_flushed(tmp_path, monkeypatch):
    flushed: list[str] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        flushed.append(str(Path(f"/proc/self/fd/{descriptor}").readlink()))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    storage = DurableFileSystemStorage(location=tmp_path)

    name = storage.save("attachments/ab/abcdef", ContentFile(b"photo bytes"))

    assert (tmp_path / name).read_bytes() == b"photo bytes"
    # The bytes under their temporary name, before the rename; then the folders.
    written, *folders = flushed
    assert Path(written).parent == tmp_path / INCOMING_DIR
    assert folders == [str(tmp_path / "attachments/ab"), str(tmp_path / "attachments")]


def test_a_file_saved_at_the_top_flushes_nothing_outside_the_storage(tmp_path, monkeypatch):
    flushed: list[str] = []
    monkeypatch.setattr(
        os, "fsync", lambda d: flushed.append(str(Path(f"/proc/self/fd/{d}").readlink()))
    )
    storage = DurableFileSystemStorage(location=tmp_path / "media")

    storage.save("top", ContentFile(b"x"))

    assert flushed[1:] == [str(tmp_path / "media")]


def test_files_on_disk_are_durable_by_default(tmp_path):
    from backend import settings as project_settings  # the real settings, before the tests' own

    backend = project_settings.STORAGES["default"]["BACKEND"]
    assert backend == "backend.core.durable_storage.DurableFileSystemStorage"
    stored = store_bytes(b"content", prefix="attachments")  # through the tests' storage
    assert stored.size == 7


class CutShort(ContentFile):
    """An upload whose stream breaks after its first chunk: a crash, a full disk, a lost phone."""

    def chunks(self, chunk_size=None):
        yield self.read(4)
        raise OSError(28, "No space left on device")


def test_a_write_cut_short_leaves_no_file_under_the_final_name(tmp_path):
    storage = DurableFileSystemStorage(location=tmp_path)

    with pytest.raises(OSError, match="No space left"):
        storage.save("attachments/ab/abcdef", CutShort(b"photo bytes"))

    assert not (tmp_path / "attachments/ab/abcdef").exists()
    assert list((tmp_path / "attachments/ab").iterdir()) == []
    assert list((tmp_path / INCOMING_DIR).iterdir()) == []  # nor a temporary one
    assert storage.save("attachments/ab/abcdef", ContentFile(b"photo bytes")) == (
        "attachments/ab/abcdef"
    )
    assert (tmp_path / "attachments/ab/abcdef").read_bytes() == b"photo bytes"


@pytest.mark.parametrize("damage", [b"", b"photo by", b"PHOTO BYTES"])
def test_a_damaged_file_under_the_hash_name_is_written_again(settings, tmp_path, damage):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "backend.core.durable_storage.DurableFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    digest = hashlib.sha256(b"photo bytes").hexdigest()
    damaged = tmp_path / "attachments" / digest[:2] / digest
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(damage)

    stored = store_file(ContentFile(b"photo bytes"), prefix="attachments")

    assert stored.path == f"attachments/{digest[:2]}/{digest}"
    assert damaged.read_bytes() == b"photo bytes"
