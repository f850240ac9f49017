from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from backend.entities.models import HeldEntityUpdate
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
        # Entity lists other than the households hold their offline updates alike.
        others = HeldEntityUpdate.objects.filter(created_at__lte=cutoff).order_by(
            "branch_id", "branch_base_version"
        )
        ids = [
            *waiting.values_list("submission_id", flat=True),
            *others.values_list("submission_id", flat=True),
        ]
        count = 0
        for submission_id in dict.fromkeys(ids):
            process_submission.call(submission_id, force_held=True)
            count += 1
        self.stdout.write(f"held offline updates applied: {count}")
