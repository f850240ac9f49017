"""Values as the reader's locale writes them: money, numbers, dates, moments and places (the
household and submission pages, through backend/households/labels.py, and the `money` filter)."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils import formats, numberformat, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from backend.geo.points import parse_geopoint


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # yuan
    DATE = "date"
    MOMENT = "moment"  # a date with its time of day
    NUMBER = "number"
    AREA = "area"  # square metres
    POINT = "point"  # a geopoint


# The XForms bind types that say how to write a value no catalogue names.
_KIND_OF_TYPE = {
    "date": Kind.DATE,
    "dateTime": Kind.MOMENT,
    "geopoint": Kind.POINT,
    "int": Kind.NUMBER,
    "decimal": Kind.NUMBER,
}


def kind_of_type(bind_type: str) -> Kind:
    """The kind of a value a form's bind type announces (text when it announces nothing)."""
    return _KIND_OF_TYPE.get(bind_type, Kind.TEXT)


def money(value: object) -> str:
    """An amount in yuan, its thousands grouped: ¥45,000 or ¥1,234.50."""
    amount = _decimal(value)
    if amount is None:
        return text_of(value)
    separator = formats.get_format("THOUSAND_SEPARATOR")
    # Django's zh_Hans has no thousands separator (its grouping by four, 万, is then invisible),
    # yet Chinese bank statements and statistics tables write yuan as 45,000: money groups by
    # three with a comma where the locale names no separator. Counts keep the locale's format.
    digits = numberformat.format(
        abs(amount),
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=0 if amount == amount.to_integral_value() else 2,
        grouping=formats.get_format("NUMBER_GROUPING") if separator else 3,
        thousand_sep=separator or ",",
        force_grouping=True,
    )
    return f"-¥{digits}" if amount < 0 else f"¥{digits}"


def number(value: object) -> str:
    """A number in the reader's locale, whole ones without a decimal part (45000.0 -> 45000).

    Not grouped: years and codes are numbers too, and 2,026 is not a year."""
    amount = _decimal(value)
    if amount is None:
        return text_of(value)
    places = 0 if amount == amount.to_integral_value() else None
    return formats.number_format(amount, decimal_pos=places, use_l10n=True)


def day(value: object) -> str:
    """A date written out as people write it: 2026年12月7日, 7 December 2026 (a timestamp in
    the server's time zone)."""
    moment_ = _moment_of(value)
    if moment_ is None:
        return text_of(value)
    return formats.date_format(moment_, "Y年n月j日" if _chinese() else "j F Y")


def moment(value: object) -> str:
    """A timestamp written out with its time of day: 2026年12月7日 21:35, 7 December 2026, 21:35."""
    moment_ = _moment_of(value)
    if moment_ is None:
        return text_of(value)
    if isinstance(moment_, datetime):
        return formats.date_format(moment_, "Y年n月j日 H:i" if _chinese() else "j F Y, H:i")
    return day(moment_)


def _moment_of(value: object) -> date | None:
    if isinstance(value, date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        return value
    text = text_of(value)
    if not text:
        return None
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def place(value: object) -> str:
    """A geopoint ("lat lon alt acc") as degrees with its accuracy: 26.50700, 106.70600 (±8 m).

    Five decimals are about a metre, finer than any phone's fix; a point typed in or moved on a
    map has no accuracy (ODK writes 0), and none is claimed for it."""
    point = parse_geopoint(text_of(value))
    if point is None:
        return text_of(value)
    degrees = f"{point.latitude:.5f}, {point.longitude:.5f}"
    return f"{degrees} (±{point.accuracy:.0f} m)" if point.accuracy else degrees


def formatted(kind: Kind, value: object) -> str:
    """A value written as its kind is read: money, date, number, place or text."""
    if kind == Kind.MONEY:
        return money(value)
    if kind == Kind.DATE:
        return day(value)
    if kind == Kind.MOMENT:
        return moment(value)
    if kind == Kind.POINT:
        return place(value)
    if kind == Kind.AREA:
        return f"{number(value)} m²" if _decimal(value) is not None else text_of(value)
    if kind == Kind.NUMBER:
        return number(value)
    return text_of(value)


def joined(labels: Iterable[str]) -> str:
    """The labels of a multiple choice, joined as the reader's language lists things."""
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(labels)


def text_of(value: object) -> str:
    """The value as text without surrounding blanks; "" for None."""
    return "" if value is None else str(value).strip()


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        amount = Decimal(text_of(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
