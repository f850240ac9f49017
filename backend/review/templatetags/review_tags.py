from django import template

from backend.flags.catalogue import (
    flag_details_for_reader,
    flag_evidence_for_reader,
    reader_sees_other,
)
from backend.flags.catalogue import flag_label as catalogue_label
from backend.flags.models import Flag
from backend.households.labels import FormTexts, PropertyLabels
from backend.review import titles
from backend.submissions.models import Submission

register = template.Library()


@register.filter
def flag_label(code: str, project_id: int | None = None) -> str:
    """A flag code's meaning in the active language; with the project, in its own words for
    the rules it added: `{{ flag.code|flag_label:flag.project_id }}`."""
    return catalogue_label(code, project_id)


@register.filter
def flag_details(flag: Flag) -> str:
    """The flag's evidence as a sentence, naming only records the reader may see."""
    return flag_details_for_reader(flag)


@register.filter
def flag_evidence(flag: Flag) -> list[tuple[str, str, object]]:
    """The flag's evidence, key by key, without identifiers of records the reader may not see:
    (key, its label, the value as the reader reads it). Household properties are named by the
    catalogue alone: a flag list shows flags of many forms, and reads none of them."""
    labels = PropertyLabels(FormTexts())
    return [
        (key, *labels.evidence(key, value)) for key, value in flag_evidence_for_reader(flag).items()
    ]


@register.filter
def other_submission_link(flag: Flag) -> int | None:
    """The id of the other submission the evidence names, when the reader may see it."""
    other = (flag.evidence or {}).get("other_submission_id")
    return other if isinstance(other, int) and reader_sees_other(flag) else None


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    """mapping[key], or "" (templates cannot index a dict by a variable)."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def submission_title(submission: Submission) -> str:
    """A queue row's name for its submission: household, form and day (the queue's selector
    gives the row its `household_label`)."""
    return titles.submission_title(
        household=getattr(submission, "household_label", None),
        form=submission.form.title,
        received=submission.created_at,
    )
