"""From entity properties (strings, as the spec says) to the typed columns the server filters on.

A value that does not parse leaves its column as it was; the string is still kept in
`Household.properties`, so nothing the phone sent is lost. Mapping: forms/library/README.md.
"""

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from backend.areas.models import Area, Level
from backend.geo.points import parse_geopoint
from backend.households.models import Category, HouseGrade, Household


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
    _set_number(household, "member_count", received.get("hh_size"), int)
    _set_number(household, "income_year", received.get("income_year"), int)
    _set_number(household, "income_per_capita", received.get("income_pc"), Decimal)
    visited = _date(received.get("last_visit"))
    if visited is not None:
        household.last_visit_at = timezone.make_aware(datetime.combine(visited, time(12)))


def _set_number(household: Household, column: str, text: str | None, kind: type) -> None:
    if text is None or text.strip() == "":
        return
    try:
        value = kind(text.strip())
    except (ValueError, InvalidOperation):
        return
    if value >= 0:
        setattr(household, column, value)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None
