"""A case opened by a person (a cadre who meets a household in difficulty between visits, or an
office acting on a letter): the same engine as the system's triggers, with the reason required."""

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.casework.access import require_household_case_worker
from backend.casework.errors import CaseRecordInvalid
from backend.casework.models import STATUS_KINDS, Case, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Household


@transaction.atomic(durable=True)
def case_open_by_person(
    *, household: Household, actor: User, kind: str, category: str = "", reason: str
) -> tuple[Case, bool]:
    """Open a case on the household, or join the open one; the case and whether it is new.

    Only the village, township and county offices of the household's area open cases."""
    require_household_case_worker(actor, household)
    if not (reason or "").strip():
        raise CaseRecordInvalid(_("Say why the case is opened."))
    before = (
        household.cases.filter(state="open", kind__in=STATUS_KINDS)
        .values_list("pk", flat=True)
        .first()
    )
    case = case_open(
        household=household,
        kind=kind,
        category=category,
        reason=reason,
        trigger=Trigger(TriggerSource.PERSON, code=kind, actor=actor),
    )
    return case, case.pk != before
