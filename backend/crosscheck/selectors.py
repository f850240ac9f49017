"""What the pages read of the department records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from backend.accounts.access import Actor
from backend.audit.privacy import HIDDEN
from backend.core.errors import NotFound
from backend.crosscheck.departments import BY_CODE, fact_spec
from backend.crosscheck.facts import latest_imports
from backend.crosscheck.models import DepartmentFact, DepartmentImport, DepartmentTemplate
from backend.flags.models import Flag, FlagState
from backend.households.access import households_for_actor
from backend.households.models import Household
from backend.projects.models import Project

VERIFY = "dept_verify"


def imports_list(project: Project) -> QuerySet[DepartmentImport]:
    return DepartmentImport.objects.filter(project=project).select_related("imported_by")


def import_get(project: Project, import_id: int) -> DepartmentImport:
    found = imports_list(project).filter(pk=import_id).first()
    if found is None:
        raise NotFound("department file")
    return found


def templates_list(project: Project) -> QuerySet[DepartmentTemplate]:
    return DepartmentTemplate.objects.filter(project=project).order_by("department", "name")


def open_verifications(actor: Actor, project: Project) -> QuerySet[Flag]:
    """The households in the actor's areas whose department records wait to be verified."""
    households = households_for_actor(actor=actor, project=project)
    return (
        Flag.objects.filter(
            project=project, code=VERIFY, state=FlagState.OPEN, household__in=households
        )
        .select_related("household", "household__village")
        .order_by("household__village__name", "household__code")
    )


@dataclass(frozen=True)
class DepartmentRecord:
    department: str
    fact: str
    value: str
    member: str
    file_name: str
    data_date: date


# Departments whose records are health data: shown masked unless revealed.
HEALTH_DEPARTMENTS = frozenset({"health", "disabled"})


def household_department_records(
    household: Household, *, reveal: bool = False
) -> list[DepartmentRecord]:
    """The facts the departments' newest files give about the household's members."""
    rows = (
        DepartmentFact.objects.filter(
            household=household, source_id__in=latest_imports(household.project_id)
        )
        .select_related("source", "member")
        .order_by("source__department", "fact", "member__position")
    )
    return [_record(row, reveal=reveal) for row in rows]


def _record(row: DepartmentFact, *, reveal: bool) -> DepartmentRecord:
    department = row.source.department
    spec = fact_spec(department, row.fact)
    hidden = department in HEALTH_DEPARTMENTS and not reveal
    return DepartmentRecord(
        department=str(BY_CODE[department].label) if department in BY_CODE else department,
        fact=str(spec.label) if spec else row.fact,
        value=HIDDEN if hidden else row.value,
        member=row.member.name if row.member else "",
        file_name=row.source.file_name,
        data_date=row.source.data_date,
    )
