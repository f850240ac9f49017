"""A department's file read against the households: each row's ID number is normalised and
hashed, the members with that hash are found, and the row's facts are kept for their households.
The file is read as a stream, a batch of rows at a time, and not kept; ID numbers are never
written anywhere (a refused row is named by its number)."""

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.audit.models import AccessKind, AccessLog
from backend.core.errors import InvalidInput
from backend.crosscheck.departments import NO, YES, FactKind, fact_spec
from backend.crosscheck.idnumbers import id_digest, normalised
from backend.crosscheck.keys import id_secret
from backend.crosscheck.matching import MemberKeys
from backend.crosscheck.models import (
    DepartmentFact,
    DepartmentImport,
    DepartmentTemplate,
    ImportState,
    MemberStatus,
    RowProblem,
)
from backend.crosscheck.reader import Row, UnreadableFile, file_rows
from backend.households.models import Household
from backend.projects.models import Project

# Rows matched per query: one round trip for this many ID hashes.
BATCH = 5000
# Refused rows written with their reason; beyond this they are only counted.
PROBLEMS_KEPT = 10_000


@dataclass
class _Reading:
    record: DepartmentImport
    template: DepartmentTemplate
    secret: bytes
    yes: frozenset[str]
    no: frozenset[str]
    keys: MemberKeys
    problems: list[RowProblem] = field(default_factory=list)
    facts: list[DepartmentFact] = field(default_factory=list)


@transaction.atomic
def department_import_start(
    *,
    project: Project,
    template: DepartmentTemplate,
    file_name: str,
    data_date: date,
    actor: User,
    ip: str | None = None,
) -> DepartmentImport:
    """Record that a file is to be read, and who brought it (in the access log)."""
    if template.project_id != project.pk:
        raise InvalidInput(_("This template belongs to another project."))
    record = DepartmentImport.objects.create(
        project=project,
        template=template,
        department=template.department,
        file_name=file_name[:255],
        data_date=data_date,
        imported_by=actor,
    )
    AccessLog.objects.create(
        user=actor,
        project=project,
        kind=AccessKind.IMPORT_DEPARTMENT,
        object_type="department",
        object_id=str(record.pk),
        detail=f"{template.department}: {file_name}"[:255],
        ip=ip,
    )
    return record


def department_import_read(record: DepartmentImport, stream: BinaryIO) -> None:
    """Read the file: keep the facts of the rows whose ID number belongs to a member of one of
    the project's households, all of them or, when the file cannot be read, none (the record
    says why). The rules and cases that follow are the caller's (backend/pipeline/departments.py:
    casework sits above this app)."""
    template = record.template
    if template is None:
        _refuse(record, _("The file's template was deleted."))
        return
    try:
        with transaction.atomic():
            _read(record, template, stream)
    except UnreadableFile:
        _refuse(record, _("The file is not a CSV or XLSX file that can be read."))


def households_to_check(record: DepartmentImport) -> QuerySet[Household]:
    """The households whose department facts the file changed: those it matched, and those the
    department's previous file matched (their facts from that file no longer count)."""
    previous = (
        DepartmentImport.objects.filter(
            project_id=record.project_id, department=record.department, pk__lt=record.pk
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    sources = [record.pk] if previous is None else [record.pk, previous]
    matched = DepartmentFact.objects.filter(source_id__in=sources).values("household_id")
    return Household.objects.filter(project_id=record.project_id, pk__in=matched)


def department_import_checked(
    record: DepartmentImport, *, households: int, flags_opened: int, cases_opened: int
) -> None:
    """Record what running the rules and the cases on the file's households did."""
    record.checked_households, record.flags_opened, record.cases_opened = (
        households,
        flags_opened,
        cases_opened,
    )
    record.checked_at = timezone.now()
    record.save(
        update_fields=[
            "checked_households",
            "flags_opened",
            "cases_opened",
            "checked_at",
            "updated_at",
        ]
    )


def _refuse(record: DepartmentImport, why: str) -> None:
    record.state, record.refusal = ImportState.REFUSED, why[:300]
    DepartmentImport.objects.filter(pk=record.pk).update(state=record.state, refusal=record.refusal)


def _read(record: DepartmentImport, template: DepartmentTemplate, stream: BinaryIO) -> None:
    reading = _Reading(
        record=record,
        template=template,
        secret=id_secret(),
        yes=frozenset(v.lower() for v in template.yes_values) or YES,
        no=frozenset(v.lower() for v in template.no_values) or NO,
        keys=MemberKeys(record.project),
    )
    columns = {template.id_column, *template.columns.values()}
    for batch in _batches(file_rows(stream, columns)):
        _match(reading, batch)
    record.matched_households = record.facts.values("household").distinct().count()
    record.state = ImportState.DONE
    record.save()


def _batches(rows: Iterator[tuple[int, Row]]) -> Iterator[list[tuple[int, Row]]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def _match(reading: _Reading, batch: list[tuple[int, Row]]) -> None:
    record = reading.record
    record.rows += len(batch)
    by_hash: dict[str, list[tuple[int, Row]]] = {}
    id_column, secret, keys = reading.template.id_column, reading.secret, reading.keys
    for number, row in batch:
        # The hex of the hash only for a possible member: this loop runs once per row.
        found = normalised(row.get(id_column, ""))
        if found is None:
            _problem(reading, number, _("The ID number is missing, or its check digit is wrong."))
            continue
        digest = id_digest(found, secret)
        if keys.may_hold(digest):
            by_hash.setdefault(digest.hex(), []).append((number, row))
    for member_id, household_id, key, status in keys.members_with(list(by_hash)):
        rows = by_hash[key]
        record.matched_rows += len(rows)
        if status != MemberStatus.PRESENT:
            record.absent_members += 1
        for number, row in rows:
            _facts(reading, number, row, member_id, household_id)
    DepartmentFact.objects.bulk_create(reading.facts, batch_size=BATCH)
    RowProblem.objects.bulk_create(reading.problems, batch_size=BATCH)
    reading.facts.clear()
    reading.problems.clear()


def _facts(reading: _Reading, number: int, row: Row, member_id: int, household_id: int) -> None:
    template = reading.template
    for fact, column in template.columns.items():
        spec = fact_spec(template.department, fact)
        text = row.get(column, "").strip()
        if spec is None or not text:
            continue
        value = _value(spec.kind, text, reading)
        if value is None:
            message = _("Column %(column)s: %(value)s is not a value this fact can hold.")
            _problem(reading, number, message % {"column": column, "value": text[:40]})
            continue
        reading.facts.append(
            DepartmentFact(
                source=reading.record,
                household_id=household_id,
                member_id=member_id,
                fact=fact,
                value=value,
            )
        )


def _value(kind: str, text: str, reading: _Reading) -> str | None:
    if kind == FactKind.MONEY:
        try:
            amount = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None
        return f"{amount:f}" if amount.is_finite() and amount >= 0 else None
    if kind == FactKind.YES_NO:
        lowered = text.lower()
        return "yes" if lowered in reading.yes else "no" if lowered in reading.no else None
    return text[:200]


def _problem(reading: _Reading, number: int, message: str) -> None:
    reading.record.bad_rows += 1
    if reading.record.bad_rows <= PROBLEMS_KEPT:
        reading.problems.append(
            RowProblem(source=reading.record, row=number, message=message[:300])
        )


def department_file_keep(upload: BinaryIO) -> Path:
    """Copy an uploaded file where only the server reads it, until it is read and deleted."""
    folder = Path(settings.DATA_DIR) / "department-files"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.part"
    with path.open("xb") as out:
        path.chmod(0o600)
        shutil.copyfileobj(upload, out, length=1024 * 1024)
    return path
