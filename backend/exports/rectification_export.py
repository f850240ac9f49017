"""The rectification ledger as an Excel workbook, in the layout the work plans report it (seed
004: 督查反馈问题整改情况及时报送): one sheet by village, one by department, each row the
problem, the measure, who is responsible, the deadline, the stage, who checked it and when; the
rows past their deadline in red (docs/rectification.md). Written in the requester's language."""

from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.areas.models import Area
from backend.casework.ledger import (
    LedgerFilters,
    LedgerRow,
    ledger_rows,
    rectifications_listed,
)
from backend.exports.access import villages_under
from backend.exports.form_export import Built
from backend.exports.models import Export
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.writers import XlsxWriter


def build_rectification_export(export: Export, directory: Path) -> Built:
    params = ExportParams.from_json(export.parameters)
    with translation.override(params.locale or None):
        return _build(export, directory, params)


def _build(export: Export, directory: Path, params: ExportParams) -> Built:
    today = timezone.localdate()
    items = rectifications_listed(
        actor=export.requested_by, project=export.project, filters=LedgerFilters(), today=today
    )
    if params.village:
        area_ids = list(Area.objects.filter(code=params.village).values_list("pk", flat=True))
        codes = villages_under(area_ids=area_ids)
        items = items.filter(Q(household__village__code__in=codes) | Q(village__code__in=codes))
    rows = ledger_rows(items.order_by("due_on", "pk"), today=today)
    filename = f"{export.project.slug}-rectifications.xlsx"
    progress = Progress(export.pk, len(rows))
    writer = XlsxWriter(directory / filename)
    by_village = writer.add_table(_("by village"), _headers(_("village")))
    for row in sorted(rows, key=_place):
        writer.write(by_village, _cells(row, row.village_name), alert=row.overdue)
        progress.step()
    by_department = writer.add_table(_("by department"), _headers(_("department")))
    for row in sorted(rows, key=_department):
        name = row.department_label or _("no department")
        writer.write(by_department, _cells(row, name), alert=row.overdue)
    writer.close()
    progress.save()
    return Built(directory / filename, filename, progress.done)


def _headers(first: str) -> list[str]:
    return [
        _("township"), first, _("item number"), _("household"), _("problem"),
        _("rectification measure"), _("responsible unit"), _("responsible person"),
        _("department"), _("deadline"), _("state"), _("overdue"), _("checked by"),
        _("checked on"), _("original deadline"),
    ]  # fmt: skip


def _cells(row: LedgerRow, first: str) -> list[Any]:
    return [
        row.township_name, first, row.case.pk, row.household_label, row.problem, row.measure,
        row.responsible_unit, row.responsible_person, row.department_label,
        _iso(row.deadline), row.stage_label, _("yes") if row.overdue else "", row.checked_by,
        _iso(row.checked_on), _iso(row.original_deadline),
    ]  # fmt: skip


def _place(row: LedgerRow) -> tuple[str, str, str, int]:
    return (row.township_name, row.village_name, _iso(row.deadline), row.case.pk)


def _department(row: LedgerRow) -> tuple[bool, str, str, str, int]:
    # Items handed to no department come last.
    return (not row.department_label, row.department_label, *_place(row)[1:])


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
