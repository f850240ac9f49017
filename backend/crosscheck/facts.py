"""What the departments' latest files say about a household, as facts the monitoring rules read:
`dept_<fact>` combined over the members still in the household (backend/crosscheck/departments.py).
Matches of members who moved out or died are kept for the report, and left out here."""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db.models import Max

from backend.core.cache import bump_with_transaction, cached_on_generation
from backend.crosscheck.departments import BY_CODE, Combine
from backend.crosscheck.models import DepartmentFact, DepartmentImport, MemberStatus
from backend.households.models import Household

PREFIX = "dept_"


def files_generation(project_id: int) -> str:
    """The generation under which the project's newest files are kept; every save or delete of
    a DepartmentImport bumps it (backend/crosscheck/apps.py)."""
    return f"department-files:{project_id}"


def files_changed(sender: type, instance: DepartmentImport, **kwargs: object) -> None:
    bump_with_transaction(files_generation(instance.project_id))


def latest_imports(project_id: int) -> list[int]:
    """The newest file of each department: each file is the department's whole list on its date,
    so an older one says nothing a newer one does not. Read by the rules on every household."""
    return list(
        cached_on_generation(
            files_generation(project_id),
            f"department-files:{project_id}",
            partial(_latest_imports, project_id),
        )
    )


def _latest_imports(project_id: int) -> list[int]:
    newest = (
        DepartmentImport.objects.filter(project_id=project_id)
        .values("department")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    return list(newest)


def department_facts(
    household: Household, *, sources: list[int] | None = None
) -> dict[str, object]:
    """{dept_<fact>: combined value} for the facts the newest files give about its members
    (`sources`: those files, when the caller has read them already)."""
    return households_department_facts([household], sources=sources)[household.pk]


def households_department_facts(
    households: Sequence[Household], *, sources: list[int] | None = None
) -> dict[int, dict[str, object]]:
    """department_facts of each household, by its id, read in one query."""
    found: dict[int, dict[str, object]] = {household.pk: {} for household in households}
    if not households:
        return found
    sources = latest_imports(households[0].project_id) if sources is None else sources
    if not sources:
        return found
    # A member who moved out or died, or whom a later registration no longer lists (the fact's
    # member is gone), is not in the household.
    rows = DepartmentFact.objects.filter(
        household_id__in=list(found),
        source_id__in=sources,
        member__status=MemberStatus.PRESENT,
    ).values_list("household_id", "source__department", "fact", "value")
    values: dict[int, dict[tuple[str, str], list[str]]] = {}
    for household_id, department, fact, value in rows:
        values.setdefault(household_id, {}).setdefault((department, fact), []).append(value)
    for household_id, by_fact in values.items():
        found[household_id] = _household_facts(by_fact)
    return found


def _household_facts(values: dict[tuple[str, str], list[str]]) -> dict[str, object]:
    facts: dict[str, object] = {}
    for (department, fact), found in values.items():
        spec = next((s for s in BY_CODE[department].facts if s.name == fact), None)
        if spec is not None:
            facts[f"{PREFIX}{fact}"] = _combined(spec.combine, found)
    return facts


def _combined(combine: str, values: list[str]) -> object:
    if combine == Combine.COUNT_YES:
        return sum(1 for value in values if value == "yes")
    if combine == Combine.COUNT_NO:
        return sum(1 for value in values if value == "no")
    if combine == Combine.JOIN:
        return ", ".join(sorted(set(values)))
    amounts = [_amount(value) for value in values]
    numbers = [amount for amount in amounts if amount is not None]
    if not numbers:
        return None
    return max(numbers) if combine == Combine.MAX else sum(numbers, Decimal(0))


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
