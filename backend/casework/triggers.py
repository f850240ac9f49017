"""Cases the system opens: a visit's proposal, and the serious flags that say a household needs
one (seed 002: no handling "outside the system", 体外循环). The first trigger opens the case;
the others, then and later, join it while it is open (services.case_open)."""

import logging
from collections.abc import Collection, Sequence

from backend.casework.eligibility import is_monitored
from backend.casework.errors import CaseRefused
from backend.casework.models import Case, Kind, TriggerSource
from backend.casework.rectification import household_rectifications_follow
from backend.casework.renovation_visits import household_renovation_follow
from backend.casework.services import Trigger, case_open
from backend.core.compiled_select import CompiledSelect
from backend.flags.models import Flag, FlagState
from backend.households.models import Category, Household
from backend.submissions.models import Submission

logger = logging.getLogger(__name__)

# The visit's outcome (hh_visit `last_outcome`, forms/library/README.md) and the case it asks for.
PROPOSALS: dict[str, str] = {
    "propose_monitor": Kind.INCLUSION,
    "propose_clear": Kind.ELIMINATION,
}
# The flags that ask for a case (backend/monitoring/library.py), in the order they are tried.
# The department records' own: support the registry does not know of (a disability certificate,
# the minimum living allowance, extreme-poverty support: seed 002 monitors 农村低保对象、农村特困
# 人员) and high out-of-pocket medical costs (因病…导致基本生活出现严重困难户).
FLAG_KINDS: tuple[tuple[str, str], ...] = (
    ("returned_to_poverty", Kind.RETURN_TO_POVERTY),
    ("sudden_hardship", Kind.INCLUSION),
    ("dept_high_costs", Kind.INCLUSION),
    ("dept_new_support", Kind.INCLUSION),
    ("not_monitored", Kind.INCLUSION),
)
# The flags that say the household's hardship is sudden: an inclusion proposes monitor_sudden.
SUDDEN = ("sudden_hardship", "dept_high_costs")


def household_cases_trigger(
    *,
    household: Household,
    submission: Submission | None,
    received: dict[str, str],
    closed: Collection[str] | None = None,
) -> list[Case]:
    """Open or join the cases that what a visit received and the household's open flags ask
    for, and pass to the township's check the rectification items whose problem the visit found
    gone; return them. A case the household cannot take now is left unopened.

    `closed`: the codes of the flags the visit's rules just closed, when the caller knows them
    (the pipeline): a visit that closed none found no item's problem gone, and the items are not
    read."""
    cases = []
    outcome = received.get("last_outcome", "")
    if outcome in PROPOSALS:
        trigger = Trigger(TriggerSource.VISIT, code=outcome, submission=submission)
        cases.append(_opened(household, PROPOSALS[outcome], trigger))
    open_flags = {flag.code: flag for flag in _OPEN_CASE_FLAGS.rows(household.pk)}
    for flag in open_flags.values():
        flag.household = household  # as the household's own related manager would set it
    for code, kind in FLAG_KINDS:
        flag = open_flags.get(code)
        if flag is None or (kind == Kind.INCLUSION and is_monitored(household)):
            continue
        trigger = Trigger(TriggerSource.FLAG, code=code, submission=submission, flag=flag)
        cases.append(_opened(household, kind, trigger))
    if submission is not None and (closed is None or closed):
        cases += household_rectifications_follow(household=household, submission=submission)
    if submission is not None:
        cases.append(household_renovation_follow(household=household, submission=submission))
    return [case for case in cases if case is not None]


# Read on every visit: compiled once (backend/core/compiled_select.py).
_OPEN_CASE_FLAGS = CompiledSelect(
    lambda household_id: Flag.objects.filter(
        household_id=household_id,
        state=FlagState.OPEN,
        subject="",
        code__in=[code for code, _kind in FLAG_KINDS],
    )
)


def households_asking_for_cases(households: Sequence[Household]) -> set[int]:
    """The ids of the households among these with an open flag that asks for a case: without a
    visit, household_cases_trigger does nothing on the others."""
    codes = [code for code, _kind in FLAG_KINDS]
    rows = Flag.objects.filter(
        household_id__in=[household.pk for household in households],
        state=FlagState.OPEN,
        subject="",
        code__in=codes,
    )
    return set(rows.values_list("household_id", flat=True))


def proposed_category(household: Household, kind: str) -> str:
    """The category a case the system opens proposes: a return to poverty, unstable; an
    inclusion, in sudden severe difficulty when that rule or the health insurance's high costs
    hold, unstable for a household lifted out of (or still in) poverty, marginal otherwise."""
    if kind == Kind.RETURN_TO_POVERTY:
        return Category.MONITOR_UNSTABLE
    if kind != Kind.INCLUSION:
        return ""
    if household.flags.filter(state=FlagState.OPEN, subject="", code__in=SUDDEN).exists():
        return Category.MONITOR_SUDDEN
    if household.category in (Category.EXITED, Category.REGISTERED_POOR):
        return Category.MONITOR_UNSTABLE
    return Category.MONITOR_MARGINAL


def _opened(household: Household, kind: str, trigger: Trigger) -> Case | None:
    try:
        return case_open(
            household=household,
            kind=kind,
            category=proposed_category(household, kind),
            trigger=trigger,
        )
    except CaseRefused as refused:
        logger.info("case %s not opened for household %s: %s", kind, household.pk, refused.details)
        return None
