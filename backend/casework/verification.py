"""The comparison with the departments' records (seed 003: 两公示一比对一公告): while the rule
dept_verify holds on a household, its inclusion is not approved at the county until a
supervisor has verified what the departments found and cleared the flag with a note."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from backend.casework.errors import RecordsNotVerified
from backend.casework.kinds import KINDS
from backend.casework.models import Case
from backend.crosscheck.findings import verify_findings
from backend.flags.catalogue import flag_details
from backend.flags.models import Flag, FlagState
from backend.households.models import Household

VERIFY = "dept_verify"
# The rule's own limit, for a flag whose evidence does not carry it.
_VEHICLE_LIMIT = Decimal(50000)


def unverified_findings(household: Household) -> list[str]:
    """What the departments found that still waits to be verified, a sentence per finding with
    its department and the date of its file (none while no dept_verify flag is open)."""
    flag = household.flags.filter(code=VERIFY, subject="", state=FlagState.OPEN).first()
    if flag is None:
        return []
    found = verify_findings(household, vehicle_limit=_limit(flag))
    if found:
        return [finding.sentence() for finding in found]
    # A project's own condition may hold on facts the sentences above do not name.
    return [flag_details(flag.code, flag.evidence, project_id=household.project_id)]


def require_records_verified(case: Case, step: str) -> None:
    """Refuse the approval of the step at which the kind waits for the records' verification
    while what the departments found is not verified."""
    if KINDS[case.kind].records_verified_at != step or case.household is None:
        return
    findings = unverified_findings(case.household)
    if findings:
        raise RecordsNotVerified(
            _(
                "The departments' records must be verified before the county approves: "
                "%(findings)s. A supervisor verifies them and clears the flag with what was found."
            )
            % {"findings": "; ".join(findings)},
            details=findings,
        )


def _limit(flag: Flag) -> Decimal:
    try:
        limit = Decimal(str(flag.evidence.get("vehicle_value_limit", _VEHICLE_LIMIT)))
    except InvalidOperation:
        return _VEHICLE_LIMIT
    return limit if limit.is_finite() else _VEHICLE_LIMIT
