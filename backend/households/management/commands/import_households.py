from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.households.imports import HouseholdImportInvalid, households_import
from backend.projects.models import Project


class Command(BaseCommand):
    help = "Import a household registry from CSV or XLSX (columns in docs/households.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument("--project", required=True, help="the project's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}")
        try:
            content = options["path"].read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {options['path']}: {exc.strerror}") from None
        try:
            count = households_import(
                project=project, filename=options["path"].name, content=content, actor=None
            )
        except HouseholdImportInvalid as exc:
            for detail in exc.details:
                self.stderr.write(detail)
            raise CommandError(str(exc)) from None
        self.stdout.write(f"households imported: {count}")
