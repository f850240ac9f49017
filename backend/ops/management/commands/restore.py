from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.ops.backup import BackupError, RestoreReport, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database, put back stored files from "
        "its media/ folder, and check every file in its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="a folder written by `manage.py backup`")
        parser.add_argument(
            "--no-verify",
            action="store_true",
            help="check that the files exist, not their SHA-256 (faster on object storage)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(options["dir"], verify=not options["no_verify"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self._print(report)
        if not report.ok:
            raise CommandError("the restore is incomplete: see the lines above")

    def _print(self, report: RestoreReport) -> None:
        rows = sum(found for _, found in report.counts.values())
        self.stdout.write(f"rows restored: {rows}; files put back: {report.files_restored}")
        for label, (expected, found) in report.counts.items():
            if expected != found:
                self.stderr.write(f"{label}: {found} rows, the backup has {expected}")
        for name in report.files_missing:
            self.stderr.write(f"missing file: {name}")
        for name in report.files_corrupt:
            self.stderr.write(f"file differs from the manifest: {name}")
