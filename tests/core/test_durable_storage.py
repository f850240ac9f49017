"""A file saved on disk is flushed, with the directories that gained its name, before the save
returns: a power cut after the 201 must not take a photo the database says was received."""

import os
from pathlib import Path

from django.core.files.base import ContentFile

from backend.core.durable_storage import DurableFileSystemStorage
from backend.core.storage import store_bytes


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
    assert flushed == [
        str(tmp_path / "attachments/ab/abcdef"),
        str(tmp_path / "attachments/ab"),
        str(tmp_path / "attachments"),
    ]


def test_a_file_saved_at_the_top_flushes_nothing_outside_the_storage(tmp_path, monkeypatch):
    flushed: list[str] = []
    monkeypatch.setattr(
        os, "fsync", lambda d: flushed.append(str(Path(f"/proc/self/fd/{d}").readlink()))
    )
    storage = DurableFileSystemStorage(location=tmp_path / "media")

    storage.save("top", ContentFile(b"x"))

    assert flushed == [str(tmp_path / "media/top"), str(tmp_path / "media")]


def test_files_on_disk_are_durable_by_default(tmp_path):
    from backend import settings as project_settings  # the real settings, before the tests' own

    backend = project_settings.STORAGES["default"]["BACKEND"]
    assert backend == "backend.core.durable_storage.DurableFileSystemStorage"
    stored = store_bytes(b"content", prefix="attachments")  # through the tests' storage
    assert stored.size == 7
