from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (streamed JSON lines) and a manifest of the stored files with "
        "their SHA-256 into a new folder (docs/deployment.md#backup-and-restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="a new or empty folder")
        parser.add_argument(
            "--with-media",
            action="store_true",
            help="copy the stored files too (for disk storage; object stores have their own)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = backup_create(options["dir"], with_media=options["with_media"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        rows = sum(info["counts"].values())
        files = info["files"]
        self.stdout.write(
            f"backup written to {options['dir']}: {rows} rows, {files['stored']} files in the "
            f"manifest{' (copied)' if options['with_media'] else ''}"
        )
        if files["missing"]:
            self.stderr.write(
                f"{files['missing']} files named by the database are missing from the storage "
                '(listed in manifest.jsonl with "missing": true)'
            )
