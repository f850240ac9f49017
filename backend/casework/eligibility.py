"""Whether a household may take a case of a kind: checked when the case opens and again at every
approval of an elimination, since a visit in between may find a new problem."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from backend.casework.kinds import KINDS, MONITORED
from backend.casework.models import CaseworkSettings, Kind
from backend.flags.catalogue import flag_label
from backend.flags.models import FlagState
from backend.households.models import Category, Household
from backend.monitoring.lines import line_finder
from backend.projects.models import Project

# "Two no-worries, three guarantees" and safe water (seed 001: 达到不愁吃不愁穿…): while one of
# these is open on the household its risk is not eliminated.
BLOCKING_FLAGS = (
    "food_clothing",
    "school_dropout",
    "medical_care",
    "house_unsafe",
    "drinking_water",
)
# Versions read back for the latest recorded incomes.
_HISTORY = 200


def casework_settings(project: Project) -> CaseworkSettings:
    """The project's settings, or the defaults when it has no row."""
    found = CaseworkSettings.objects.filter(project=project).first()
    return found or CaseworkSettings(project=project)


def is_monitored(household: Household) -> bool:
    """A monitoring object whose risk has not been eliminated since it was included."""
    if household.category not in MONITORED:
        return False
    eliminated, included = household.risk_eliminated_on, household.included_on
    return eliminated is None or (included is not None and included > eliminated)


def opening_refusals(household: Household, kind: str, category: str) -> list[str]:
    """Why the household cannot take a case of this kind proposing this category (none: it can)."""
    allowed = KINDS[kind].categories
    if (category or allowed) and category not in allowed:
        return [_("This kind of case cannot propose that category.")]
    if kind == Kind.INCLUSION and is_monitored(household):
        return [_("The household is already a monitoring object.")]
    if kind == Kind.RETURN_TO_POVERTY and household.category != Category.EXITED:
        return [_("Only a household lifted out of poverty returns to poverty.")]
    if kind == Kind.CATEGORY_CHANGE and household.category == category:
        return [_("The household already has this category.")]
    if kind == Kind.ELIMINATION:
        return elimination_blockers(household)
    return []


def elimination_blockers(household: Household) -> list[str]:
    """Why the household's risk cannot be eliminated now (none: it can)."""
    if not is_monitored(household):
        return [_("Only the risk of a monitoring object is eliminated.")]
    open_codes = household.flags.filter(
        state=FlagState.OPEN, subject="", code__in=BLOCKING_FLAGS
    ).values_list("code", flat=True)
    problems = [
        _("Still open: %(flag)s.") % {"flag": flag_label(code, household.project_id)}
        for code in sorted(set(open_codes), key=BLOCKING_FLAGS.index)
    ]
    wanted = casework_settings(household.project).income_steady_visits
    if not income_steady(household, wanted):
        problems.append(
            _("The income has not been above the monitoring line at the last %(count)d visits.")
            % {"count": wanted}
        )
    return problems


def income_steady(household: Household, visits: int) -> bool:
    """Whether the last `visits` incomes recorded (by a visit, a registration or an import) are
    all at or above the monitoring line of their year."""
    if visits == 0:
        return True
    incomes = recorded_incomes(household)[:visits]
    if len(incomes) < visits:
        return False
    line_of = line_finder(household.project, household.village_id)
    for income, year in incomes:
        line = line_of(year)
        if line is not None and income < line:
            return False
    return True


def recorded_incomes(household: Household) -> list[tuple[Decimal, int | None]]:
    """The incomes the household's versions received, newest first, each with its year."""
    rows = household.versions.order_by("-version").values_list("received", "data")[:_HISTORY]
    found = []
    for received, data in rows:
        income = _decimal((received or {}).get("income_pc"))
        if income is not None:
            found.append((income, _year((data or {}).get("income_year"))))
    return found


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and value not in (None, "") else None


def _year(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None
