"""The rules run again on the households a department's file changed: those it matched, and
those the department's previous file matched (their facts are gone)."""

from django.db.models import Q
from django_tasks import task

from backend.crosscheck.models import DepartmentImport
from backend.households.models import Household
from backend.monitoring.recheck import households_recheck


@task()
def department_recheck(import_id: int) -> str:
    record = DepartmentImport.objects.filter(pk=import_id).select_related("project").first()
    if record is None:
        return ""
    previous = (
        DepartmentImport.objects.filter(
            project=record.project, department=record.department, pk__lt=record.pk
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    sources = [record.pk] if previous is None else [record.pk, previous]
    touched = Household.objects.filter(
        Q(department_facts__source_id__in=sources), project=record.project
    ).distinct()
    return str(households_recheck(record.project, only=touched))
