"""A zip of the photos of the selected submissions, with index.csv saying whose each one is.

Files are copied from storage into the zip in chunks (stored, not compressed: JPEGs do not
shrink), with zip64 so archives past 4 GB or 65,535 files open everywhere.
"""

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from backend.exports.form_export import CHUNK, Built
from backend.exports.formulas import SafeCsvWriter
from backend.exports.models import Export
from backend.exports.progress import Progress
from backend.exports.selection import export_submissions
from backend.exports.writers import CSV_ENCODING
from backend.submissions.models import AttachmentState, SubmissionAttachment

INDEX_COLUMNS = [
    "file", "form", "KEY", "question", "submitted_at", "submitter", "village", "household",
    "original_name", "size", "sha256", "image_ok",
]  # fmt: skip
_IMAGE = Q(content_type__startswith="image/") | Q(name__iregex=r"\.(jpe?g|png|webp|heic|gif)$")
_UNSAFE = re.compile(r"[^\w.@-]+")


def build_photo_export(export: Export, directory: Path) -> Built:
    """Write the archive: <form>/<instance>/<file name> for each photo, and index.csv."""
    submissions = export_submissions(export)
    photos = SubmissionAttachment.objects.filter(
        submission__in=submissions, state=AttachmentState.RECEIVED
    ).filter(_IMAGE)
    progress = Progress(export.pk, photos.count())
    filename = f"{export.project.slug}-photos.zip"
    with (
        (directory / filename).open("wb") as output,
        zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive,
        tempfile.TemporaryFile("w+", encoding=CSV_ENCODING, newline="") as index,
    ):
        writer = SafeCsvWriter(index)
        writer.writerow(INDEX_COLUMNS)
        for row in _photos(photos):
            member = f"{_safe(row['form'])}/{_safe(row['KEY'])}/{_safe(row['original_name'])}"
            with (
                default_storage.open(row.pop("path"), "rb") as source,
                archive.open(member, "w", force_zip64=True) as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
            writer.writerow([member, *(row[c] for c in INDEX_COLUMNS[1:])])
            progress.step()
        index.flush()
        index.seek(0)
        with archive.open("index.csv", "w", force_zip64=True) as target:
            # typeshed types a text file's buffer as any buffer, whose read() need not return
            # bytes; a temporary file's is a BufferedRandom, which does.
            shutil.copyfileobj(index.buffer, target, 1024 * 1024)  # type: ignore[type-var]
    progress.save()
    return Built(directory / filename, filename, progress.done)


def _photos(photos: Any) -> Iterator[dict[str, Any]]:
    rows = photos.order_by("submission_id", "name").values_list(
        "file", "name", "size", "sha256", "image_ok", "submission__form__xml_form_id",
        "submission__instance_id", "submission__created_at", "submission__submitted_by__username",
        "submission__fields",
    )  # fmt: skip
    for path, name, size, sha256, image_ok, form, key, created, user, fields in rows.iterator(
        chunk_size=CHUNK
    ):
        fields = fields if isinstance(fields, dict) else {}
        yield {
            "path": path,
            "form": form,
            "KEY": key,
            "question": _question_of(fields, name),
            "submitted_at": timezone.localtime(created).isoformat(timespec="seconds"),
            "submitter": user or "",
            "village": fields.get("village") or "",
            "household": fields.get("hh") or "",
            "original_name": name,
            "size": size,
            "sha256": sha256,
            "image_ok": "" if image_ok is None else int(image_ok),
        }


def _question_of(fields: dict[str, Any], name: str, prefix: str = "") -> str:
    """The fields key whose answer is this file name (inside repeats as key[n]/question)."""
    for key, value in fields.items():
        if value == name:
            return f"{prefix}{key}"
        if isinstance(value, list):
            for number, entry in enumerate(value, start=1):
                if isinstance(entry, dict):
                    found = _question_of(entry, name, f"{prefix}{key}[{number}]/")
                    if found:
                        return found
    return ""


def _safe(part: str) -> str:
    """A path segment that unpacks safely everywhere (no separators, no `..`)."""
    cleaned = _UNSAFE.sub("_", part).strip("._")
    return cleaned or "_"
