from django import template

from backend.flags.catalogue import flag_label as catalogue_label
from backend.flags.models import Flag
from backend.flags.sentences import flag_sentence
from backend.review import titles
from backend.submissions.models import Submission

register = template.Library()


@register.filter
def flag_label(code: str, project_id: int | None = None) -> str:
    """A flag code's meaning in the active language; with the project, in its own words for
    the rules it added: `{{ flag.code|flag_label:flag.project_id }}`."""
    return catalogue_label(code, project_id)


@register.filter(name="flag_sentence")
def flag_sentence_filter(flag: Flag) -> str:
    """The flag's sentence with its numbers, or the facts it read by their labels."""
    return flag_sentence(flag)


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
