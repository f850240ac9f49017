"""What a submission is called on the pages: the household it visited, its form and the day it
came in (its `uuid:…` instance id names it for phones and the API, not for people)."""

from datetime import datetime

from backend.core.display import day


def submission_title(*, household: str | None, form: str, received: datetime) -> str:
    """ "E-1 王*山 · 房屋安全检查 · 2026年12月7日"; without a household the reader may see, the form
    and the day alone."""
    return " · ".join(part for part in (household or "", form, day(received)) if part)
