"""Generate the Excel workbooks of the library forms from their Markdown source."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forms.library.workbooks import stale_workbooks, write_library_workbooks


class Command(BaseCommand):
    help = (
        "Write forms/library/*.xlsx that are missing or out of date from the Markdown forms next "
        "to them (--force: all of them; --check: only report those out of date)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail if a workbook is missing or out of date"
        )
        parser.add_argument(
            "--force", action="store_true", help="write every workbook, even a current one"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            stale = stale_workbooks()
            if stale:
                names = ", ".join(path.name for path in stale)
                raise CommandError(f"out of date: {names} (run manage.py library_workbooks)")
            self.stdout.write("the library workbooks are up to date")
            return
        written = write_library_workbooks(force=options["force"])
        for path in written:
            self.stdout.write(f"wrote {path.name}")
        if not written:
            self.stdout.write("the library workbooks are up to date")
