"""A department's file, from its upload to its cases: read and matched (backend/crosscheck), then
the monitoring rules on the households it changed and the cases their flags ask for, as the
merge's `rules` and `cases` steps do for a visit. Casework sits above the registry, so this
sequence lives here rather than in the crosscheck app. The import record keeps the counts."""

from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from backend.accounts.models import User
from backend.casework.triggers import household_cases_trigger, households_asking_for_cases
from backend.core.errors import InvalidInput
from backend.crosscheck.facts import latest_imports
from backend.crosscheck.imports import (
    department_import_checked,
    department_import_read,
    department_import_start,
    households_to_check,
)
from backend.crosscheck.models import DepartmentImport, DepartmentTemplate, ImportState
from backend.households.models import Household
from backend.monitoring.engine import Lookups, Rule, households_rules_apply, project_rules
from backend.projects.models import Project

# Households evaluated per read and per transaction: what the rules read is read for all of them
# at once, and a long run holds no lock for long and a crash keeps what was done.
_BATCH = 200


def department_file_import(
    *,
    project: Project,
    template: DepartmentTemplate,
    stream: BinaryIO,
    file_name: str,
    data_date: date,
    actor: User,
    ip: str | None = None,
) -> DepartmentImport:
    """Read a department's file now, then run the rules and the cases on its households
    (InvalidInput when the file cannot be read; the record says why)."""
    record = department_import_start(
        project=project,
        template=template,
        file_name=file_name,
        data_date=data_date,
        actor=actor,
        ip=ip,
    )
    department_file_process(record, stream)
    if record.state == ImportState.REFUSED:
        raise InvalidInput(record.refusal)
    return record


def department_file_process(record: DepartmentImport, stream: BinaryIO) -> None:
    """Read the file for its record; once its facts are committed, check its households."""
    department_import_read(record, stream)
    if record.state == ImportState.DONE:
        department_households_check(record)


def department_households_check(record: DepartmentImport) -> None:
    """The rules on each household the file changed, then the cases their flags ask for (an
    inclusion for a household outside monitoring with new support on record or high medical
    costs: backend/casework/triggers.py); the counts go on the record. Safe to run again: a
    second run opens nothing."""
    rules = project_rules(record.project_id)
    lookups = Lookups(dept_sources=latest_imports(record.project_id))
    households = households_to_check(record).select_related("project", "village")
    checked = flags = cases = 0
    last = 0
    while batch := list(households.filter(pk__gt=last).order_by("pk")[:_BATCH]):
        opened_flags, opened_cases = _check(batch, rules, lookups)
        checked += len(batch)
        flags += opened_flags
        cases += opened_cases
        last = batch[-1].pk
    department_import_checked(record, households=checked, flags_opened=flags, cases_opened=cases)


@transaction.atomic
def _check(batch: list[Household], rules: list[Rule], lookups: Lookups) -> tuple[int, int]:
    """(flags opened, cases opened) on a batch of households: the rules on all of them at once,
    then the cases on those whose open flags ask for one."""
    started = timezone.now()
    applied = households_rules_apply(batch, rules=rules, lookups=lookups)
    asking = households_asking_for_cases(batch)
    cases = 0
    for household in batch:
        if household.pk in asking:
            found = household_cases_trigger(household=household, submission=None, received={})
            cases += int(any(case.created_at >= started for case in found))
    return sum(len(opened) for opened, _closed in applied.values()), cases


@task()
def department_file_read(import_id: int, path: str) -> None:
    """Read a kept file for its import record and check its households, then delete the file
    whatever happened."""
    try:
        record = (
            DepartmentImport.objects.select_related("project", "template")
            .filter(pk=import_id, state=ImportState.READING)
            .first()
        )
        if record is not None:
            with Path(path).open("rb") as stream:
                department_file_process(record, stream)
    finally:
        Path(path).unlink(missing_ok=True)
