"""The cases as an Excel workbook: one row per case, then a summary by kind, state and level
with the overdue ones counted (docs/exports.md). Written in the requester's language: kinds,
states, steps and categories by their labels, dates as YYYY-MM-DD."""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.areas.models import Area, Level
from backend.casework.access import cases_for_actor
from backend.casework.kinds import step_spec
from backend.casework.models import STATUS_KINDS, Case, CaseState, Kind
from backend.casework.selectors import case_counts
from backend.exports.access import villages_under
from backend.exports.form_export import CHUNK, Built
from backend.exports.models import Export
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.writers import XlsxWriter
from backend.households.models import Category


def build_case_export(export: Export, directory: Path) -> Built:
    params = ExportParams.from_json(export.parameters)
    with translation.override(params.locale or None):
        return _build(export, directory, params)


def _build(export: Export, directory: Path, params: ExportParams) -> Built:
    # The status cases; rectification items have their own ledger (rectification_export.py).
    cases = cases_for_actor(actor=export.requested_by, project=export.project).filter(
        kind__in=STATUS_KINDS
    )
    if params.village:
        area_ids = list(Area.objects.filter(code=params.village).values_list("pk", flat=True))
        cases = cases.filter(household__village__code__in=villages_under(area_ids=area_ids))
    today = timezone.localdate()
    filename = f"{export.project.slug}-cases.xlsx"
    progress = Progress(export.pk, cases.count())
    writer = XlsxWriter(directory / filename)
    listed = writer.add_table(_("cases"), _case_headers())
    for row in _case_rows(cases, today):
        writer.write(listed, row)
        progress.step()
    summary = writer.add_table(_("summary"), _summary_headers())
    for row in _summary_rows(cases, today):
        writer.write(summary, row)
    writer.close()
    progress.save()
    return Built(directory / filename, filename, progress.done)


def _case_headers() -> list[str]:
    return [
        _("case number"), _("household code"), _("household"), _("village"), _("township"),
        _("kind"), _("proposed category"), _("state"), _("waiting step"), _("level"),
        _("opened on"), _("due on"), _("overdue"), _("closed on"), _("reason"),
    ]  # fmt: skip


def _case_rows(cases: QuerySet[Case], today: Any) -> Iterator[list[Any]]:
    rows = cases.order_by("household__village__code", "household__code", "pk").values_list(
        "pk", "household__code", "household__label", "household__village__name",
        "household__village__parent__name", "kind", "category", "state", "step", "level",
        "created_at", "due_on", "closed_at", "reason",
    )  # fmt: skip
    kinds, categories = dict(Kind.choices), dict(Category.choices)
    states, levels = dict(CaseState.choices), dict(Level.choices)
    for (
        pk, code, label, village, township, kind, category, state, step, level, opened, due,
        closed, reason,
    ) in rows.iterator(chunk_size=CHUNK):  # fmt: skip
        overdue = state == CaseState.OPEN and due is not None and due < today
        yield [
            pk, code, label, village, township or "", str(kinds.get(kind, kind)),
            _label(categories, category), _label(states, state),
            str(step_spec(kind, step).label) if step else "", _label(levels, level),
            timezone.localdate(opened).isoformat(), due.isoformat() if due else "",
            _("yes") if overdue else "",
            timezone.localdate(closed).isoformat() if closed else "", reason,
        ]  # fmt: skip


def _summary_headers() -> list[str]:
    return [_("kind"), _("state"), _("level"), _("cases"), _("overdue")]


def _summary_rows(cases: QuerySet[Case], today: Any) -> Iterator[list[Any]]:
    """The cases added up by kind, state and level, in the kinds' and states' own order."""
    totals: Counter[tuple[str, str, str]] = Counter()
    late: Counter[tuple[str, str, str]] = Counter()
    for count in case_counts(cases, today=today):
        key = (count.kind, count.state, count.level)
        totals[key] += count.cases
        late[key] += count.overdue
    order = {
        value: n for n, value in enumerate([*Kind.values, *CaseState.values, "", *Level.values])
    }
    kinds, states, levels = dict(Kind.choices), dict(CaseState.choices), dict(Level.choices)
    for key in sorted(totals, key=lambda k: tuple(order.get(part, 99) for part in k)):
        kind, state, level = key
        yield [
            str(kinds[kind]), str(states[state]), str(levels[level]) if level else "",
            totals[key], late[key],
        ]  # fmt: skip


def _label(labels: dict[str, Any], value: str) -> str:
    return str(labels.get(value, value)) if value else ""
