from decimal import Decimal

from django import template
from django.utils import formats

from backend.core import display

register = template.Library()


@register.filter
def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """A number in the user's locale with thousands grouped (1,234,567), "" for None.

    USE_THOUSAND_SEPARATOR stays off because it would also group ids written into URLs.
    """
    if value is None or value == "":
        return ""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def money(value: int | float | Decimal | str | None) -> str:
    """An amount in yuan in the user's locale: ¥45,000 (backend/core/display.py)."""
    return display.money(value)


@register.filter
def get_value(mapping: dict[str, object], key: str) -> object:
    """mapping[key] (templates cannot index a dict by a variable); None when absent."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def day(value: object) -> str:
    """A date written out: 2026年12月7日, 7 December 2026 (backend/core/display.py)."""
    return display.day(value) if value else ""


@register.filter
def moment(value: object) -> str:
    """A date and time written out: 2026年12月7日 21:35, 7 December 2026, 21:35."""
    return display.moment(value) if value else ""
