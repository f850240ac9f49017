"""The `--since DATE` and `--form ID` options that commands over submissions share."""

from typing import Any

from django.core.management import CommandError, CommandParser
from django.db.models import QuerySet
from django.utils.dateparse import parse_date

from backend.submissions.models import Submission


def add_selection_arguments(parser: CommandParser) -> None:
    parser.add_argument("--since", help="only submissions received on or after YYYY-MM-DD")
    parser.add_argument("--form", help="only submissions of this form ID")


def select_submissions(
    queryset: QuerySet[Submission], options: dict[str, Any]
) -> QuerySet[Submission]:
    """Narrow the submissions by --since and --form; a bad date stops the command."""
    if options.get("since"):
        since = parse_date(options["since"])
        if since is None:
            raise CommandError(f"--since must be a date YYYY-MM-DD, not {options['since']!r}")
        queryset = queryset.filter(created_at__date__gte=since)
    if options.get("form"):
        queryset = queryset.filter(form__xml_form_id=options["form"])
    return queryset
