"""Content-addressed files in the default storage: the same bytes are stored once, under their
SHA-256, so a retried upload or a shared photo costs nothing and a path never changes meaning."""

import hashlib
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: str
    md5: str
    size: int


def store_bytes(content: bytes, *, prefix: str) -> StoredFile:
    """Store bytes held in memory (small files: form media, generated CSV)."""
    return store_file(ContentFile(content), prefix=prefix)


def store_file(file: File, *, prefix: str) -> StoredFile:
    """Store a file chunk by chunk: memory stays flat whatever its size."""
    sha256, md5, size = hashlib.sha256(), hashlib.md5(), 0  # noqa: S324  md5 is OpenRosa's hash
    file.seek(0)
    for chunk in file.chunks():
        sha256.update(chunk)
        md5.update(chunk)
        size += len(chunk)
    digest = sha256.hexdigest()
    path = f"{prefix}/{digest[:2]}/{digest}"
    # A file left behind by a rolled-back transaction holds the same bytes: harmless, reused.
    if not default_storage.exists(path):
        file.seek(0)
        path = default_storage.save(path, file)
    return StoredFile(path=path, sha256=digest, md5=md5.hexdigest(), size=size)
