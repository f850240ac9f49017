from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from backend.households.models import HeldUpdate
from backend.pipeline.tasks import process_submission


class Command(BaseCommand):
    help = (
        "Apply offline updates that have waited longer than HOUSEHOLD_BACKLOG_HOURS for an earlier "
        "update of their branch; they are marked as conflicts for a supervisor to check."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(hours=settings.HOUSEHOLD_BACKLOG_HOURS)
        waiting = HeldUpdate.objects.filter(created_at__lte=cutoff).order_by(
            "branch_id", "branch_base_version"
        )
        count = 0
        for submission_id in list(waiting.values_list("submission_id", flat=True)):
            process_submission.call(submission_id, force_held=True)
            count += 1
        self.stdout.write(f"held offline updates applied: {count}")
