from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.models import User
from backend.core.errors import DomainError
from backend.projects.models import Project
from forms.services import Upload, form_publish


class Command(BaseCommand):
    help = "Publish an XLSForm (.xlsx, .xls, .csv, .md) or XForm (.xml) to a project."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the XLSForm or XForm file")
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument(
            "--attach", type=Path, action="append", default=[], help="a media or CSV file (repeat)"
        )
        parser.add_argument("--user", help="record this username as the publisher")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}")
        publisher = None
        if options["user"]:
            publisher = User.objects.filter(username=options["user"]).first()
            if publisher is None:
                raise CommandError(f"no user named {options['user']!r}")
        try:
            result = form_publish(
                project=project,
                source=_read(options["path"]),
                published_by=publisher,
                attachments=[_read(path) for path in options["attach"]],
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        version = result.version
        state = "published" if result.created else "already published (unchanged)"
        self.stdout.write(
            f"{version.form.xml_form_id} version {version.version or '(none)'}: {state}"
        )
        for warning in version.warnings:
            self.stdout.write(f"  warning: {warning}")
        for missing in version.attachments.filter(file="", entity_list="", generated=""):
            self.stdout.write(f"  missing attachment: {missing.name} (upload it with --attach)")


def _read(path: Path) -> Upload:
    try:
        return Upload(name=path.name, content=path.read_bytes())
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
