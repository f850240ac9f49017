import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.models import User
from backend.accounts.provisioning import (
    collect_settings,
    device_server_url,
    qr_png,
    qr_text,
)
from backend.accounts.services import device_token_issue
from backend.projects.models import Membership, Project


class Command(BaseCommand):
    help = "Issue a device token for a field worker's phone and print its ODK Collect QR settings."
    _json = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the field worker's username")
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("--label", default="", help="which phone, e.g. 'Li's Redmi'")
        parser.add_argument("--png", type=Path, help="write the QR code image to this file")
        parser.add_argument("--json", action="store_true", help="print the settings JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        project, user = self._member(options["project"], options["user"])
        _, secret = device_token_issue(user=user, project=project, label=options["label"])
        server_url = device_server_url(secret=secret, project=project)
        collect = collect_settings(server_url=server_url, user=user, project=project)
        text = qr_text(collect)
        self._json = bool(options["json"])
        self._note(f"ODK Collect server URL: {server_url}")
        if self._json:
            self.stdout.write(json.dumps(collect, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"QR code text: {text}")
        if options["png"]:
            try:
                options["png"].write_bytes(qr_png(text))
            except OSError as exc:
                raise CommandError(f"cannot write {options['png']}: {exc.strerror}") from None
            self._note(f"QR code image written to {options['png']}")
        self._note("The token works until revoked; keep the QR code like a password.")

    def _member(self, slug: str, username: str) -> tuple[Project, User]:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"no project with slug {slug!r}")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        if not Membership.objects.filter(project=project, user=user).exists():
            raise CommandError(f"{user.username} has no role in project {project.slug}")
        return project, user

    def _note(self, line: str) -> None:
        # With --json, stdout carries the settings alone so that scripts can parse it.
        if self._json:
            self.stderr.write(line, style_func=str)  # plain text: these lines are no error
        else:
            self.stdout.write(line)
