"""From entity properties (strings, as the spec says) to the typed columns the server filters on.

A value that does not parse leaves its column as it was; the string is still kept in
`Household.properties`, so nothing the phone sent is lost. Mapping: forms/library/README.md.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from backend.areas.models import Area, Level
from backend.geo.points import parse_geopoint
from backend.households.models import Category, HouseGrade, Household

# Properties documented as dates (forms/library/README.md). A form that saves `${today}` or
# `today()` to one sends JavaRosa's date-time (2026-12-07T00:00:00.000+08:00, in the phone's
# own time zone), which phones would then show and compare as it is.
DATE_PROPERTIES = frozenset({"last_visit"})
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}")


def as_stored(received: dict[str, str]) -> dict[str, str]:
    """The received properties as the household keeps them: a date property sent as a
    date-time is its date, the day the phone was on."""
    stored = dict(received)
    for key in DATE_PROPERTIES & stored.keys():
        match = _DATE_TIME.match(stored[key].strip())
        if match is not None:
            stored[key] = match.group(1)
    return stored


def apply_properties(household: Household, received: dict[str, str]) -> None:
    """Copy what the typed columns can take from the received properties."""
    if received.get("head_name"):
        household.head_name = received["head_name"][:100]
    if "village" in received:
        village = Area.objects.filter(code=received["village"], level=Level.VILLAGE).first()
        if village is not None:
            household.village = village
    for key in ("geometry", "location"):
        point = parse_geopoint(received.get(key, ""))
        if point is not None:
            household.latitude, household.longitude = point.latitude, point.longitude
            household.accuracy = point.accuracy
    if received.get("category") in Category.values:
        household.category = received["category"]
    if "house_grade" in received:
        grade = received["house_grade"]
        household.house_grade = grade if grade in HouseGrade.values else ""
    for prop, (column, _kind, _largest) in NUMBER_COLUMNS.items():
        value = _number(prop, received.get(prop))
        if value is not None:
            setattr(household, column, value)
    visited = _date(received.get("last_visit"))
    if visited is not None:
        household.last_visit_at = timezone.make_aware(datetime.combine(visited, time(12)))


# Number properties and the typed columns they fill, with the largest value each column holds
# (a small integer; twelve digits with two decimals).
NUMBER_COLUMNS: dict[str, tuple[str, type, int | Decimal]] = {
    "hh_size": ("member_count", int, 32767),
    "income_year": ("income_year", int, 32767),
    "income_pc": ("income_per_capita", Decimal, Decimal("9999999999.99")),
}


def _number(prop: str, text: str | None) -> int | Decimal | None:
    """The property's value for its column, or None when it is absent, not a number, negative
    or more than the column holds (the string is kept in the properties either way)."""
    value = _read(prop, text)
    if value is None or _too_large(prop, value) or value < 0:
        return None
    return value


def numbers_out_of_range(properties: dict[str, str]) -> dict[str, str]:
    """The number properties whose value the typed columns cannot hold: not finite, or too
    large (a typo of a wage in the billions). Negative and unreadable values are left out: the
    forms' own checks concern them."""
    found = {}
    for prop in NUMBER_COLUMNS:
        value = _read(prop, properties.get(prop))
        if value is not None and _too_large(prop, value):
            found[prop] = str(properties[prop]).strip()[:40]
    return found


def _read(prop: str, text: str | None) -> int | Decimal | None:
    if text is None or not text.strip():
        return None
    try:
        return NUMBER_COLUMNS[prop][1](text.strip())
    except (ValueError, InvalidOperation):
        return None


def _too_large(prop: str, value: int | Decimal) -> bool:
    if isinstance(value, Decimal) and not value.is_finite():
        return True
    return value > NUMBER_COLUMNS[prop][2]


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None
