from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.evidence.services import evidence_check
from backend.submissions.command_options import add_selection_arguments, select_submissions
from backend.submissions.models import Submission


class Command(BaseCommand):
    help = (
        "Run the evidence checks again on processed submissions (after changing a project's "
        "thresholds, for example). Idempotent: open flags are refreshed, never duplicated, and "
        "flags whose condition no longer holds are closed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_selection_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Submission.objects.filter(processed_at__isnull=False, is_current=True)
        queryset = select_submissions(queryset, options)
        checked = opened = closed = failed = 0
        # Oldest first: a photo is compared with the ones received before it.
        for pk in queryset.order_by("pk").values_list("pk", flat=True).iterator():
            submission = Submission.objects.select_related("form_version", "project").get(pk=pk)
            try:
                result = evidence_check(submission=submission)
            except Exception as exc:  # reported and counted; the next one still runs
                failed += 1
                self.stderr.write(f"submission {pk}: {type(exc).__name__}: {exc}")
                continue
            checked, opened, closed = (
                checked + 1,
                opened + len(result.opened),
                closed + len(result.closed),
            )
        self.stdout.write(
            f"checked {checked} submission(s): {opened} flag(s) opened, {closed} closed, "
            f"{failed} failed"
        )
        if failed:
            raise CommandError(f"{failed} submission(s) failed; see above")
