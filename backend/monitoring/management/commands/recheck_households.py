from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.monitoring.recheck import Rechecked, households_recheck
from backend.projects.models import Project


class Command(BaseCommand):
    help = (
        "Evaluate the monitoring rules on every household again (all projects, or one): opens "
        "the flags imported or registered households deserve, closes those that no longer "
        "hold. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", help="the project's slug (default: every project)")

    def handle(self, *args: Any, **options: Any) -> None:
        projects = Project.objects.order_by("pk")
        if options["project"]:
            projects = projects.filter(slug=options["project"])
            if not projects.exists():
                raise CommandError(f"no project {options['project']!r}")
        for project in projects:
            self.stdout.write(f"{project.slug}:")
            done = households_recheck(project, progress=self._progress)
            self.stdout.write(f"{project.slug}: {done}")

    def _progress(self, done: Rechecked) -> None:
        self.stdout.write(f"  {done}")
