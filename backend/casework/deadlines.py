"""When a step is due: its working days (kinds.py) counted on the Chinese working-day calendar
with the admins' overrides (workdays.py)."""

from datetime import date, timedelta

from backend.casework.kinds import StepSpec
from backend.casework.models import Case, DayOverride
from backend.casework.workdays import add_working_days

# Days of overrides read past the start: the longest step and a run of holidays fit in it.
_WINDOW = timedelta(days=120)


def overrides_from(start: date) -> dict[date, bool]:
    """The admins' overrides of the days a deadline counted from `start` can reach."""
    rows = DayOverride.objects.filter(day__gt=start, day__lte=start + _WINDOW)
    return dict(rows.values_list("day", "working"))


def working_days_after(start: date, days: int) -> date:
    """The `days`-th working day after `start`."""
    return add_working_days(start, days, overrides_from(start))


def step_due(spec: StepSpec, started_on: date, record: dict[str, object]) -> date:
    """When the step is due. A step with a deadline field is due on the date recorded there (a
    rectification's 完成时限). A notice step counts from the notice's end once its dates are
    recorded: the village closes the notice within the step's days after it comes down."""
    deadline = _date(record.get(spec.deadline)) if spec.deadline else None
    if deadline is not None:
        return deadline
    ends_on = notice_end(record) if spec.notice else None
    start = max(started_on, ends_on) if ends_on else started_on
    return working_days_after(start, spec.days)


def notice_end(record: dict[str, object]) -> date | None:
    """The notice's end date in a step's record, if one is recorded."""
    return _date(record.get("notice_ends_on"))


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def extended_deadline(case: Case) -> date | None:
    """The date of the item's latest deadline extension; None when it was never extended."""
    return case.extensions.order_by("-created_at", "-id").values_list("deadline", flat=True).first()


def case_step_due(case: Case, spec: StepSpec, started_on: date, record: dict[str, object]) -> date:
    """When the case's pass of this step is due: a deadline step follows the item's latest
    extension, if the township or the county gave one (the opening's deadline stays in the
    record)."""
    extended = extended_deadline(case) if spec.deadline else None
    return extended or step_due(spec, started_on, record)
