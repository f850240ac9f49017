from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from backend.projects.demo import LOGINS, demo_load


class Command(BaseCommand):
    help = "Load the demo project, villages, users, forms and households (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        site = settings.SITE_URL
        slug = summary.project.slug
        self.stdout.write(f"Demo project: {summary.project.name} ({slug})")
        for result in summary.forms:
            version = result.version
            state = "published" if result.created else "unchanged"
            self.stdout.write(
                f"  form {version.form.xml_form_id} version {version.version}: {state}"
            )
        self.stdout.write(f"  households created: {summary.households_created}")
        self.stdout.write("")
        self.stdout.write("Logins (demo only, never use these on a real server):")
        for login in LOGINS:
            self.stdout.write(f"  {login.role:<11} {login.username:<11} {login.password}")
        self.stdout.write("")
        self.stdout.write(f"Start page:       {site}{reverse('web:home')}")
        self.stdout.write(f"Dashboard:        {site}{reverse('households:dashboard', args=[slug])}")
        self.stdout.write(f"Review queue:     {site}{reverse('review:queue', args=[slug])}")
        self.stdout.write(f"API docs:         {site}/api/v1/docs")
        self.stdout.write(f"ODK Collect URL:  {site}/projects/{slug}  (sign in as worker)")
        self.stdout.write(
            f"  or a QR code: .venv/bin/python manage.py device_qr --user worker --project {slug} "
            "--png worker.png"
        )
        self.stdout.write(
            "  (phones on the village network need this machine's LAN address: set SITE_URL "
            "and serve with make run HOST=0.0.0.0)"
        )
