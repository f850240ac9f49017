import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backend.flags.risk import risk_recompute
from backend.projects.models import Project


class Command(BaseCommand):
    help = (
        "Recompute the stored risk scores that order the review queue (all projects, or one). "
        "The flag services and the weights page keep them; run this after changing flags by "
        "hand in the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--project", help="the project's slug (default: every project)")

    def handle(self, *args: Any, **options: Any) -> None:
        projects = Project.objects.order_by("slug")
        if options["project"]:
            projects = projects.filter(slug=options["project"])
            if not projects.exists():
                raise CommandError(f"No project {options['project']!r}.")
        for project in projects:
            start = time.monotonic()
            changed = risk_recompute(project=project)
            self.stdout.write(
                f"{project.slug}: {changed} submission(s) changed "
                f"({time.monotonic() - start:.1f} s)"
            )
