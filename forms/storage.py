"""Content-addressed files in the default storage: the same bytes are stored once."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


@dataclass(frozen=True)
class StoredFile:
    path: str
    md5: str
    size: int


def store_content(content: bytes, *, prefix: str) -> StoredFile:
    """Save bytes under their sha256 (once) and return where, with their md5 and size."""
    sha256 = hashlib.sha256(content).hexdigest()
    path = f"{prefix}/{sha256[:2]}/{sha256}"
    # A file left by a rolled-back publish is harmless: it holds the same bytes.
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(content))
    return StoredFile(path=path, md5=hashlib.md5(content).hexdigest(), size=len(content))  # noqa: S324  md5 is what OpenRosa's manifest hash uses
