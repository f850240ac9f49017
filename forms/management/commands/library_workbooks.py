"""Generate the Excel workbooks of the library forms from their Markdown source."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forms.library.workbooks import stale_workbooks, write_library_workbooks


class Command(BaseCommand):
    help = (
        "Write forms/library/*.xlsx from the Markdown forms next to them "
        "(--check: only report workbooks that are missing or out of date)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail if a workbook is missing or out of date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            stale = stale_workbooks()
            if stale:
                names = ", ".join(path.name for path in stale)
                raise CommandError(f"out of date: {names} (run manage.py library_workbooks)")
            self.stdout.write("the library workbooks are up to date")
            return
        for path in write_library_workbooks():
            self.stdout.write(f"wrote {path.name}")
