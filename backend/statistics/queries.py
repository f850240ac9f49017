"""One grouped query per table: the numbers of each village the reader sees (spec.py).

Household properties are read in the database: a yes/no answer by its JSON value, a list of
codes (risks, measures) by the code between spaces, a number only where the text is digits (a
phone's odd answer counts as nothing rather than failing the table).
"""

from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear
from django.utils import timezone

from backend.casework.models import STATUS_KINDS, CaseState, Kind, Renovation
from backend.households.models import Category, HouseGrade, Household
from backend.statistics.spec import Source, VillageRows

# 建档立卡: the registered poor, those lifted out, and the unstable lifted out (monitored).
REGISTERED = (Category.REGISTERED_POOR, Category.EXITED, Category.MONITOR_UNSTABLE)
MONITORED = (Category.MONITOR_UNSTABLE, Category.MONITOR_MARGINAL, Category.MONITOR_SUDDEN)
# Households the assistance reaches: the registered poor and every monitoring object.
ASSISTED = (*REGISTERED, Category.MONITOR_MARGINAL, Category.MONITOR_SUDDEN)
SCREENING_LINES = (4500, 5000)  # seed 003: 年人均纯收入低于4500元、5000元
RISKS = (
    "illness", "disability", "education", "disaster", "accident", "business_failure",
    "unstable_job", "no_labour", "other",
)  # fmt: skip
MEASURES = (
    "industry", "employment", "public_job", "health", "education", "dibao", "housing", "credit",
    "other",
)  # fmt: skip
# The four priority groups of dangerous-house renovation (seed 000: 4类重点对象).
PRIORITY_GROUPS: dict[str, Q] = {
    "registered": Q(category__in=REGISTERED),
    "dibao": Q(properties__dibao="yes"),
    "extreme_poor": Q(properties__extreme_poor="yes"),
    "disabled": Q(properties__has_disabled="yes"),
}
DANGEROUS = (HouseGrade.C, HouseGrade.D)


def _people(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum("member_count", filter=condition), 0)


def _number(key: str) -> Case:
    """A whole-number property, 0 where it is missing or not digits."""
    digits = Q(**{f"properties__{key}__regex": r"^[0-9]+$"})
    return Case(
        When(digits, then=Cast(KT(f"properties__{key}"), IntegerField())),
        default=Value(0),
        output_field=IntegerField(),
    )


def _codes(key: str) -> Concat:
    """A space-separated list of codes padded with spaces, so ` code ` finds a whole code."""
    codes = Coalesce(KT(f"properties__{key}"), Value(""), output_field=TextField())
    return Concat(Value(" "), codes, Value(" "), output_field=TextField())


def _by_village(households: QuerySet[Household], /, **numbers: Any) -> VillageRows:
    rows = households.order_by().values("village_id").annotate(**numbers)
    return _keyed(rows)


def _keyed(rows: Any) -> VillageRows:
    """values() rows by their village id (the id taken out of each row)."""
    keyed: VillageRows = {}
    for row in rows:
        numbers = dict(row)
        keyed[numbers.pop("village_id")] = numbers
    return keyed


def low_income(source: Source) -> VillageRows:
    """Households and people below 4,500 and 5,000 yuan, the registered poor apart."""
    households = source.households.filter(income_year=source.year)
    numbers: dict[str, Any] = {}
    for line in SCREENING_LINES:
        below = Q(income_per_capita__lt=line)
        for group, condition in (
            ("poor", Q(category__in=REGISTERED)),
            ("other", ~Q(category__in=REGISTERED)),
        ):
            numbers[f"{group}_{line}_households"] = Count("pk", filter=below & condition)
            numbers[f"{group}_{line}_people"] = _people(below & condition)
    return _by_village(households, **numbers)


def low_income_causes(source: Source) -> VillageRows:
    """Households below 5,000 yuan by the risks recorded for them (致贫原因)."""
    households = source.households.filter(
        income_year=source.year, income_per_capita__lt=SCREENING_LINES[-1]
    ).annotate(risks=_codes("risk_types"))
    numbers: dict[str, Any] = {"households": Count("pk")}
    for risk in RISKS:
        numbers[f"risk_{risk}"] = Count("pk", filter=Q(risks__contains=f" {risk} "))
    recorded = Q()
    for risk in RISKS:
        recorded |= Q(risks__contains=f" {risk} ")
    numbers["risk_unrecorded"] = Count("pk", filter=~recorded)
    return _by_village(households, **numbers)


def returns_and_new(source: Source) -> VillageRows:
    """Households returned to poverty and newly identified (included) by approvals of the year."""
    approved = (
        source.cases.filter(state=CaseState.APPROVED, kind__in=STATUS_KINDS)
        .annotate(year=ExtractYear("closed_at"))
        .filter(year=source.year)
    )
    numbers: dict[str, Any] = {}
    kinds = {"returned": Q(kind=Kind.RETURN_TO_POVERTY), "new": Q(kind=Kind.INCLUSION)}
    for name, kind in kinds.items():
        numbers[f"{name}_households"] = Count("household", filter=kind, distinct=True)
        numbers[f"{name}_people"] = Coalesce(Sum("household__member_count", filter=kind), 0)
    for category in MONITORED:
        numbers[f"new_{category}"] = Count(
            "household", filter=Q(kind=Kind.INCLUSION, category=category), distinct=True
        )
    # Named apart from the cases' own `village` (a village's rectification item), then keyed.
    rows = approved.order_by().values(home_village=F("household__village_id")).annotate(**numbers)
    keyed: VillageRows = {}
    for row in rows:
        numbers = dict(row)
        keyed[numbers.pop("home_village")] = numbers
    return keyed


def incidence(source: Source) -> VillageRows:
    """The poor and monitored population against the registered rural population."""
    rows = _by_village(
        source.households,
        poor_people=_people(Q(category=Category.REGISTERED_POOR)),
        at_risk_people=_people(Q(category__in=MONITORED, risk_eliminated_on__isnull=True)),
    )
    for village_id in source.populations:
        rows.setdefault(village_id, {"poor_people": 0, "at_risk_people": 0})
    for village_id, row in rows.items():
        row["population"] = source.populations.get(village_id, 0)
    return rows


def dropouts(source: Source) -> VillageRows:
    """Children of compulsory-education age out of school, by the school they should attend."""
    households = source.households.annotate(
        primary=_number("n_dropout_primary"), junior=_number("n_dropout_junior"),
        any_dropout=_number("n_dropout"),
    )  # fmt: skip
    return _by_village(
        households.filter(Q(primary__gt=0) | Q(junior__gt=0) | Q(any_dropout__gt=0)),
        households_with=Count("pk"),
        primary=Coalesce(Sum("primary"), 0),
        junior=Coalesce(Sum("junior"), 0),
        children=Coalesce(Sum("any_dropout"), 0),
    )


def coverage(source: Source) -> VillageRows:
    """Households the assistance is for: with a helper, with measures, by measure."""
    households = source.households.filter(category__in=ASSISTED).annotate(
        measures=_codes("assistance_measures")
    )
    numbers: dict[str, Any] = {
        "households": Count("pk"),
        "with_helper": Count("pk", filter=Q(helper__isnull=False)),
        "with_measure": Count("pk", filter=Q(measures__regex=r"[a-z]")),
    }
    for measure in MEASURES:
        numbers[f"measure_{measure}"] = Count("pk", filter=Q(measures__contains=f" {measure} "))
    return _by_village(households, **numbers)


def priority_houses(source: Source) -> VillageRows:
    """Dangerous houses (grade C or D) of the four priority groups, still to be cleared."""
    households = source.households.filter(house_grade__in=DANGEROUS)
    numbers: dict[str, Any] = {}
    anyone = Q()
    for group, condition in PRIORITY_GROUPS.items():
        anyone |= condition
        for grade in DANGEROUS:
            numbers[f"{group}_{grade}"] = Count("pk", filter=condition & Q(house_grade=grade))
    numbers["households"] = Count("pk", filter=anyone)
    return _by_village(households, **numbers)


def monitoring(source: Source) -> VillageRows:
    """Monitoring objects by category; included and risk eliminated in the year."""
    households = source.households.filter(category__in=MONITORED)
    numbers: dict[str, Any] = {}
    for category in MONITORED:
        of = Q(category=category)
        numbers[f"{category}_households"] = Count("pk", filter=of)
        numbers[f"{category}_people"] = _people(of)
    numbers["included"] = Count("pk", filter=Q(included_on__year=source.year))
    numbers["eliminated"] = Count("pk", filter=Q(risk_eliminated_on__year=source.year))
    numbers["at_risk"] = Count("pk", filter=Q(risk_eliminated_on__isnull=True))
    return _by_village(households, **numbers)


def renovation_zero_out(source: Source) -> VillageRows:
    """Dangerous houses cleared to zero (危房清零): each house graded C or D, or renovated, and
    how far its renovation went; one row per house whatever its number of renovations."""
    renovations = Renovation.objects.filter(
        case__household=OuterRef("pk"), case__kind=Kind.RENOVATION
    ).exclude(case__state=CaseState.REJECTED)
    today = timezone.localdate()
    households = source.households.annotate(
        r_renovated=Exists(renovations),
        r_open=Exists(renovations.filter(case__state=CaseState.OPEN)),
        r_accepted=Exists(renovations.filter(case__state=CaseState.APPROVED)),
        r_moved_in=Exists(renovations.filter(moved_in_on__isnull=False)),
        r_late=Exists(renovations.filter(moved_in_on__isnull=True, move_in_by__lt=today)),
        r_paid=Exists(renovations.filter(paid_on__isnull=False)),
    ).filter(Q(house_grade__in=DANGEROUS) | Q(r_renovated=True))
    anyone = Q()
    for condition in PRIORITY_GROUPS.values():
        anyone |= condition
    return _by_village(
        households,
        dangerous=Count("pk"),
        priority=Count("pk", filter=anyone),
        not_started=Count("pk", filter=Q(r_renovated=False)),
        under_way=Count("pk", filter=Q(r_open=True)),
        accepted=Count("pk", filter=Q(r_accepted=True)),
        remaining=Count("pk", filter=Q(r_accepted=False)),
        priority_remaining=Count("pk", filter=anyone & Q(r_accepted=False)),
        moved_in=Count("pk", filter=Q(r_moved_in=True)),
        move_in_late=Count("pk", filter=Q(r_late=True)),
        paid=Count("pk", filter=Q(r_paid=True)),
    )
