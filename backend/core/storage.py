"""Content-addressed files in the default storage: the same bytes are stored once, under their
SHA-256, so a retried upload or a shared photo costs nothing and a path never changes meaning."""

import hashlib
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class StoredFile:
    path: str
    sha256: str
    md5: str
    size: int


def stored_name(file: FieldFile) -> str:
    """The storage name of a saved row's file. The column is NOT NULL, so it is a string ('' at
    worst); Django types it as optional for a file field that was never set."""
    if file.name is None:
        raise ValueError("the file field was never set")
    return file.name


def store_bytes(content: bytes, *, prefix: str) -> StoredFile:
    """Store bytes held in memory (small files: form media, generated CSV)."""
    return store_file(ContentFile(content), prefix=prefix)


def store_file(file: File[bytes], *, prefix: str) -> StoredFile:
    """Store a file chunk by chunk: memory stays flat whatever its size."""
    sha256, md5, size = hashlib.sha256(), hashlib.md5(), 0  # noqa: S324  md5 is OpenRosa's hash
    file.seek(0)
    for chunk in file.chunks():
        sha256.update(chunk)
        md5.update(chunk)
        size += len(chunk)
    digest = sha256.hexdigest()
    path = f"{prefix}/{digest[:2]}/{digest}"
    # A file already under this name (a retry, a shared photo, one left by a rolled-back
    # transaction) is reused only when it holds these very bytes; one cut short by a crash or a
    # full disk on a storage that writes in place is written again.
    if not _holds(path, size=size, sha256=digest):
        if default_storage.exists(path):
            default_storage.delete(path)
        file.seek(0)
        path = default_storage.save(path, file)
    return StoredFile(path=path, sha256=digest, md5=md5.hexdigest(), size=size)


def _holds(path: str, *, size: int, sha256: str) -> bool:
    """Whether the stored file exists with exactly this size and hash."""
    if not default_storage.exists(path) or default_storage.size(path) != size:
        return False
    found = hashlib.sha256()
    with default_storage.open(path, "rb") as stored:
        for chunk in iter(lambda: stored.read(_CHUNK), b""):
            found.update(chunk)
    return found.hexdigest() == sha256
