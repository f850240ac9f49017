from django import template

from backend.areas.models import Level
from backend.casework.kinds import SIGNATORIES, step_spec
from backend.casework.models import Case
from backend.casework.timeline import category_label

register = template.Library()


@register.filter
def step_label(case: Case) -> str:
    """The label of the step the case waits at ("" once it is closed)."""
    return str(step_spec(case.kind, case.step).label) if case.step else ""


@register.filter
def level_label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else ""


@register.filter
def category(code: str) -> str:
    """A household category's label."""
    return category_label(code)


@register.filter
def step_name(code: str, kind: str) -> str:
    """The label of a step of this kind of case."""
    try:
        return str(step_spec(kind, code).label)
    except KeyError:
        return ""


@register.filter
def signatory(code: str) -> str:
    """Who signs, as the work plans name them."""
    label = SIGNATORIES.get(code)
    return str(label) if label else ""
