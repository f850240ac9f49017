"""Files a killed process left half-written: removed once no request could still be writing them.

Two folders hold files only while a request runs: the uploads Django spools to disk while it
reads a request (FILE_UPLOAD_TEMP_DIR) and the photos being written under a temporary name
before they are renamed into place (the storage's `.incoming`). A request that finishes removes
its own; a process killed mid-request (`kill -9`, out of memory, a power cut) cannot, and those
files would fill the disk over the months.
"""

import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from backend.core.durable_storage import INCOMING_DIR, DurableFileSystemStorage

# Longer than any request could take to receive or write one file.
OLD_ENOUGH = timedelta(hours=1)


def leftover_folders() -> list[Path]:
    folders = [Path(settings.FILE_UPLOAD_TEMP_DIR)]
    if isinstance(default_storage, DurableFileSystemStorage):
        folders.append(Path(default_storage.location) / INCOMING_DIR)
    return folders


def leftovers_remove(*, older_than: timedelta = OLD_ENOUGH) -> tuple[int, int]:
    """Remove the files in those folders untouched for `older_than`; return (files, bytes)."""
    cutoff = time.time() - older_than.total_seconds()
    files = size = 0
    for folder in leftover_folders():
        for path in folder.glob("*") if folder.is_dir() else ():
            try:
                stat = path.stat()
                if not path.is_file() or stat.st_mtime >= cutoff:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue  # its request finished meanwhile and removed it
            files, size = files + 1, size + stat.st_size
    return files, size
