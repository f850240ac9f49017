from django import template

from backend.flags.catalogue import flag_label as catalogue_label

register = template.Library()


@register.filter
def flag_label(code: str) -> str:
    """A flag code's meaning in the active language."""
    return catalogue_label(code)


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    """mapping[key], or "" (templates cannot index a dict by a variable)."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""
