"""Working days in China: public holidays and the weekend days worked in their place.

The chinesecalendar library knows the State Council's holiday arrangements of the years it was
released with; each year's are published in the autumn before. Overrides (the DayOverride table,
edited by admins) win over the library, so a new year's holidays can be entered before the
library knows them. A day that neither knows is a working day from Monday to Friday.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

# A deadline longer than this is a mistake in a table, not a wait: stop counting.
_LONGEST = 400


def is_working_day(day: date, overrides: Mapping[date, bool]) -> bool:
    """Whether people work on this day: the override, else the library, else Monday to Friday."""
    if day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the library does not cover
        return day.weekday() < 5


def add_working_days(start: date, days: int, overrides: Mapping[date, bool]) -> date:
    """The `days`-th working day after `start` (`start` itself when `days` is 0)."""
    if not 0 <= days <= _LONGEST:
        raise ValueError(f"{days} working days")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    return day
