from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.pipeline.tasks import submission_evidence_check, submission_merge
from backend.submissions.command_options import add_selection_arguments, select_submissions
from backend.submissions.models import Submission


class Command(BaseCommand):
    help = (
        "Run post-processing again (the household merge, then the evidence checks, here rather "
        "than on the task queue): by default for submissions that were never processed or "
        "failed; with --all for every submission (safe: the processing is idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every submission, not just pending")
        add_selection_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Submission.objects.order_by("pk")
        if not options["all"]:
            queryset = queryset.filter(processed_at__isnull=True) | queryset.exclude(
                processing_error=""
            )
        queryset = select_submissions(queryset, options)
        done = failed = 0
        for submission_id in queryset.values_list("pk", flat=True).iterator():
            try:
                if submission_merge(submission_id):
                    submission_evidence_check(submission_id)
                done += 1
            except Exception as exc:  # reported and counted; the next one still runs
                failed += 1
                self.stderr.write(f"submission {submission_id}: {type(exc).__name__}: {exc}")
        self.stdout.write(f"processed {done} submission(s), {failed} failed")
        if failed:
            raise CommandError(f"{failed} submission(s) failed; see above")
