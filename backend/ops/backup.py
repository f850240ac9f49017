"""Backup and restore: the database as streamed JSON lines (Django's serializers, so any
supported database restores into any other) and a manifest of every stored file the database
names, with its size and SHA-256. Files themselves are copied only on request (`with_media`):
object storage is backed up with the store's own tools (docs/deployment.md#backup-and-restore).

A backup folder holds:
  backup.json          when, from what, and the row count of every table
  database.jsonl.gz    the rows
  manifest.jsonl       {"name", "size", "sha256"} per stored file ("missing": true if absent)
  media/               the files, under their storage names (with_media only)
"""

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

DATABASE_FILE = "database.jsonl.gz"
MANIFEST_FILE = "manifest.jsonl"
INFO_FILE = "backup.json"
MEDIA_DIR = "media"
# Recreated by migrate (content types, permissions) or not worth keeping (sessions, the queue).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]
_EXCLUDED_APPS = {"contenttypes", "sessions", "django_tasks_database"}


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


@dataclass
class RestoreReport:
    counts: dict[str, tuple[int, int]]  # table -> (in the backup, in the database now)
    files_restored: int = 0
    files_missing: list[str] = field(default_factory=list)
    files_corrupt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        same = all(expected == found for expected, found in self.counts.values())
        return same and not self.files_missing and not self.files_corrupt


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table the dump holds, in a stable order."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in _EXCLUDED_APPS
        and model._meta.label_lower != "auth.permission"
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in backed_up_models()}


def stored_names() -> Iterator[str]:
    """Each stored file name that a row refers to, once."""
    seen: set[str] = set()
    for model in backed_up_models():
        for file_field in model._meta.get_fields():
            if not isinstance(file_field, models.FileField):
                continue
            names = model._default_manager.exclude(**{file_field.name: ""}).values_list(
                file_field.name, flat=True
            )
            for name in names.iterator():
                if name and name not in seen:
                    seen.add(name)
                    yield name


def backup_create(target: Path, *, with_media: bool = False) -> dict[str, Any]:
    """Write a backup into `target` (new or empty); return what backup.json says."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new folder for each backup")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)  # it holds password hashes
    # One snapshot: rows, counts and file names all from the same moment.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = row_counts()
        call_command(
            "dumpdata",
            format="jsonl",
            natural_foreign=True,
            exclude=EXCLUDED,
            output=str(target / DATABASE_FILE),
            verbosity=0,
        )
        files = _write_manifest(target, with_media=with_media)
    info = {
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "counts": counts,
        "files": files,
        "with_media": with_media,
    }
    (target / INFO_FILE).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def _write_manifest(target: Path, *, with_media: bool) -> dict[str, int]:
    stored = missing = 0
    with (target / MANIFEST_FILE).open("w", encoding="utf-8") as manifest:
        for name in stored_names():
            entry = _describe(name, copy_to=target / MEDIA_DIR / name if with_media else None)
            missing += bool(entry.get("missing"))
            stored += not entry.get("missing")
            manifest.write(json.dumps(entry) + "\n")
    return {"stored": stored, "missing": missing}


def _describe(name: str, *, copy_to: Path | None) -> dict[str, object]:
    if not default_storage.exists(name):
        return {"name": name, "missing": True}
    if copy_to is None:
        digest, size = _hash(name, sink=None)
    else:
        copy_to.parent.mkdir(parents=True, exist_ok=True)
        with copy_to.open("wb") as sink:
            digest, size = _hash(name, sink=sink)
    return {"name": name, "size": size, "sha256": digest}


def _hash(name: str, *, sink: BinaryIO | None) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read in chunks (and copied to `sink` on the way)."""
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink.write(chunk)
    return digest.hexdigest(), size


def backup_restore(source: Path, *, verify: bool = True) -> RestoreReport:
    """Load a backup into an empty database; put back files the storage lacks (from media/ when
    the backup has them) and check every file in the manifest."""
    info = _read_info(source)
    call_command("migrate", interactive=False, verbosity=0)
    occupied = [label for label, count in row_counts().items() if count]
    if occupied:
        raise BackupError(
            "the database is not empty (rows in " + ", ".join(occupied[:5]) + "); restore needs "
            "a new database: create one, point DATABASE_URL at it and run restore again"
        )
    call_command("loaddata", str(source / DATABASE_FILE), verbosity=0)
    now = row_counts()
    counts = {label: (expected, now.get(label, 0)) for label, expected in info["counts"].items()}
    report = RestoreReport(counts=counts)
    for entry in _manifest(source):
        _restore_file(source, entry, report, verify=verify)
    return report


def _read_info(source: Path) -> dict[str, Any]:
    try:
        info = json.loads((source / INFO_FILE).read_text(encoding="utf-8"))
        with gzip.open(source / DATABASE_FILE, "rb") as dump:
            dump.read(1)
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} is not a readable backup: {exc}") from None
    if not isinstance(info, dict) or not isinstance(info.get("counts"), dict):
        raise BackupError(f"{source / INFO_FILE} has no row counts")
    return info


def _manifest(source: Path) -> Iterator[dict[str, object]]:
    with (source / MANIFEST_FILE).open(encoding="utf-8") as manifest:
        for line in manifest:
            if line.strip():
                yield json.loads(line)


def _restore_file(
    source: Path, entry: dict[str, object], report: RestoreReport, *, verify: bool
) -> None:
    name = str(entry["name"])
    if entry.get("missing"):
        report.files_missing.append(name)  # already missing when the backup was made
        return
    copy = source / MEDIA_DIR / name
    if not default_storage.exists(name) and copy.is_file():
        with copy.open("rb") as stream:
            saved = default_storage.save(name, stream)
        if saved != name:  # the storage renamed it: rows would point at nothing
            default_storage.delete(saved)
            report.files_corrupt.append(name)
            return
        report.files_restored += 1
    if not default_storage.exists(name):
        report.files_missing.append(name)
    elif verify and _hash(name, sink=None)[0] != entry.get("sha256"):
        report.files_corrupt.append(name)
