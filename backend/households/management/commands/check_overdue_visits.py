from typing import Any

from django.core.management.base import BaseCommand

from backend.households.overdue import overdue_visits_check


class Command(BaseCommand):
    help = "Flag households not visited within their project's cadence; close flags once visited."

    def handle(self, *args: Any, **options: Any) -> None:
        opened, closed = overdue_visits_check()
        self.stdout.write(f"overdue flags opened: {opened}, closed: {closed}")
