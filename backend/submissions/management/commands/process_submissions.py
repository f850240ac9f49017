from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from backend.submissions.models import Submission
from backend.submissions.tasks import process_submission


class Command(BaseCommand):
    help = (
        "Run post-processing again: by default for submissions that were never processed or "
        "failed; with --all for every submission (safe: the processing is idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every submission, not just pending")
        parser.add_argument("--since", help="only submissions received on or after YYYY-MM-DD")
        parser.add_argument("--form", help="only this form id")

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Submission.objects.order_by("pk")
        if not options["all"]:
            queryset = queryset.filter(processed_at__isnull=True) | queryset.exclude(
                processing_error=""
            )
        if options["since"]:
            since = parse_date(options["since"])
            if since is None:
                raise CommandError(f"--since must be a date YYYY-MM-DD, not {options['since']!r}")
            queryset = queryset.filter(created_at__date__gte=since)
        if options["form"]:
            queryset = queryset.filter(form__xml_form_id=options["form"])
        done = failed = 0
        for submission_id in queryset.values_list("pk", flat=True).iterator():
            try:
                process_submission.call(submission_id)
                done += 1
            except Exception as exc:  # reported and counted; the next one still runs
                failed += 1
                self.stderr.write(f"submission {submission_id}: {type(exc).__name__}: {exc}")
        self.stdout.write(f"processed {done} submission(s), {failed} failed")
        if failed:
            raise CommandError(f"{failed} submission(s) failed; see above")
