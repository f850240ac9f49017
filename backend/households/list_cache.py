"""The household list's bytes kept on disk under their version token, so the phones of one scope
(a village's workers, an evening's sync of a county) read one rendering instead of one each.

The token changes exactly when the list's bytes do (lists.py), so a file named after the project
and the token holds the right bytes for anyone whose list has that token. The first download
writes the file while it streams (to a temporary name, renamed when the last byte was written: a
phone hanging up leaves nothing behind); later ones send the file. Files older than
HOUSEHOLD_LIST_KEEP_SECONDS are neither used nor kept: a bound on what a write that skipped
every service (and so the token) could leave, and on the disk the folder takes.
"""

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "household-lists"


def kept_list(project_id: int, token: str) -> Path | None:
    """The file holding the list with this token, if one was written recently."""
    path = _folder() / f"{project_id}-{token}.csv"
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    return path if age < settings.HOUSEHOLD_LIST_KEEP_SECONDS else None


def keeping(project_id: int, token: str, rows: Iterator[bytes]) -> Iterator[bytes]:
    """The rows as they stream, written to the list's file as well once all of them were sent."""
    if settings.HOUSEHOLD_LIST_KEEP_SECONDS <= 0:
        yield from rows
        return
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    done = False
    try:
        with os.fdopen(handle, "wb") as out:
            for block in rows:
                out.write(block)
                yield block
        Path(temporary).replace(folder / f"{project_id}-{token}.csv")
        done = True
        _forget_old(folder)
    finally:
        if not done:
            Path(temporary).unlink(missing_ok=True)


def _forget_old(folder: Path) -> None:
    limit = time.time() - settings.HOUSEHOLD_LIST_KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:  # another process removed it first
            continue
