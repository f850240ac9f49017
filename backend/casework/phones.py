"""How a household's open case reads on the worker's phone (the `case_note` column of the
household list): the kind, the step it waits at and its due date, in the project's language,
the one its workers read."""

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from backend.casework.kinds import step_spec
from backend.casework.models import Case


def phone_note(case: Case) -> str:
    """ "Inclusion as a monitoring object: village democratic appraisal, due 14 December 2026"."""
    with translation.override(settings.LANGUAGE_CODE):
        note = _("%(kind)s: %(step)s, due %(due)s") % {
            "kind": case.get_kind_display(),
            "step": step_spec(case.kind, case.step).label,
            "due": formats.date_format(case.due_on, "DATE_FORMAT") if case.due_on else "-",
        }
    return note[:200]
