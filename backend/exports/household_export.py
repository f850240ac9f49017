"""The household registry and its version history as CSV or XLSX, streamed row by row.

Column names are those `import_households` reads, so a registry export can be imported again;
with `labels` they are written in the requester's language instead.
"""

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.exports.form_export import CHUNK, Built
from backend.exports.formulas import SafeCsvWriter
from backend.exports.models import Export, ExportKind
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.selection import export_households
from backend.exports.writers import CSV_ENCODING, XlsxWriter
from backend.households.labels import PropertyLabels, property_labels
from backend.households.models import Category, Conflict, HouseGrade, Household, HouseholdVersion

_REGISTRY = (
    "id", "code", "label", "village", "village_name", "head_name", "category", "member_count",
    "income_per_capita", "income_year", "house_grade", "latitude", "longitude", "accuracy",
    "helper", "last_visit_at", "version", "conflict", "review_note",
)  # fmt: skip
_REGISTRY_FIELDS = (
    "uuid", "code", "label", "village__code", "village__name", "head_name", "category",
    "member_count", "income_per_capita", "income_year", "house_grade", "latitude", "longitude",
    "accuracy", "helper__username", "last_visit_at", "version", "conflict", "review_note",
)  # fmt: skip
_HISTORY = (
    "id", "code", "version", "created_at", "label", "base_version", "conflict",
    "conflicting_properties", "submission", "actor", "changed",
)  # fmt: skip


# Registry columns that hold codes, with their labels.
_CODED: dict[str, dict[str, Any]] = {
    "category": dict(Category.choices),
    "house_grade": dict(HouseGrade.choices),
    "conflict": dict(Conflict.choices),
}


def _titles() -> dict[str, str]:
    return {
        "id": _("household ID"),
        "code": _("household code"),
        "label": _("label"),
        "village": _("village code"),
        "village_name": _("village"),
        "head_name": _("head of household"),
        "category": _("category"),
        "member_count": _("members"),
        "income_per_capita": _("per-capita net income (yuan)"),
        "income_year": _("income year"),
        "house_grade": _("house safety grade"),
        "latitude": _("latitude"),
        "longitude": _("longitude"),
        "accuracy": _("accuracy (m)"),
        "helper": _("assigned helper"),
        "last_visit_at": _("last visit"),
        "version": _("version"),
        "conflict": _("conflict"),
        "review_note": _("review note"),
        "created_at": _("changed at"),
        "base_version": _("based on version"),
        "conflicting_properties": _("conflicting properties"),
        "submission": _("submission"),
        "actor": _("changed by"),
        "changed": _("changed properties"),
    }


def build_household_export(export: Export, directory: Path) -> Built:
    """Write the registry or the history, as the export's kind says."""
    params = ExportParams.from_json(export.parameters)
    # A labelled export is for people: everything it writes in the requester's language.
    with translation.override(params.locale or None):
        return _build(export, directory, params)


def _build(export: Export, directory: Path, params: ExportParams) -> Built:
    households = export_households(export)
    labels = _labels(export, households) if params.labels else None
    history = export.kind in {ExportKind.HISTORY_CSV, ExportKind.HISTORY_XLSX}
    if history:
        versions = HouseholdVersion.objects.filter(household__in=households)
        columns = list(_HISTORY)
        properties = _property_names(versions.values_list("data", flat=True), set(columns))
        total, rows = versions.count(), _history_rows(versions, properties, labels)
        stem = f"{export.project.slug}-household-history"
    else:
        columns = list(_REGISTRY)
        properties = _property_names(households.values_list("properties", flat=True), set(columns))
        total, rows = households.count(), _registry_rows(households, properties)
        stem = f"{export.project.slug}-households"
    if labels is not None:
        rows = _labelled(rows, columns, properties, labels)
    headers = _headers(columns, properties, labels)
    progress = Progress(export.pk, total)
    xlsx = export.kind in {ExportKind.HOUSEHOLDS_XLSX, ExportKind.HISTORY_XLSX}
    filename = f"{stem}.xlsx" if xlsx else f"{stem}.csv"
    _write(directory / filename, xlsx, stem, headers, rows, progress)
    progress.save()
    return Built(directory / filename, filename, progress.done)


def _labels(export: Export, households: QuerySet[Household]) -> PropertyLabels:
    villages = households.values_list("village__code", flat=True).distinct()
    return property_labels(export.project, villages=villages)


def _write(
    path: Path,
    xlsx: bool,
    sheet: str,
    headers: list[str],
    rows: Iterator[list[Any]],
    progress: Progress,
) -> None:
    if xlsx:
        writer = XlsxWriter(path)
        writer.add_table(sheet, headers)
        for row in rows:
            writer.write(0, row)
            progress.step()
        writer.close()
        return
    with path.open("w", encoding=CSV_ENCODING, newline="") as output:
        csv_writer = SafeCsvWriter(output)
        csv_writer.writerow(headers)
        for row in rows:
            csv_writer.writerow(row)
            progress.step()


def _headers(
    columns: Sequence[str], properties: Sequence[str], labels: PropertyLabels | None
) -> list[str]:
    if labels is None:
        return [*columns, *properties]
    titles = _titles()
    headers = [titles.get(name, name) for name in columns]
    # The registry's columns copy some properties: the property's header says it is the record's.
    named = [labels.name(prop) for prop in properties]
    return headers + [
        _("%(property)s (as recorded)") % {"property": name} if name in headers else name
        for name in named
    ]


def _labelled(
    rows: Iterator[list[Any]], columns: list[str], properties: list[str], labels: PropertyLabels
) -> Iterator[list[Any]]:
    """Coded values by their labels (categories, grades, choices, yes/no); numbers and dates
    stay as they are, for the spreadsheet to compute with."""
    coded = [(columns.index(name), values) for name, values in _CODED.items() if name in columns]
    first = len(columns)
    for row in rows:
        for index, values in coded:
            if row[index] in values and row[index] != "":  # no conflict stays blank
                row[index] = str(values[row[index]])
        for offset, prop in enumerate(properties, start=first):
            text = "" if row[offset] is None else str(row[offset])
            row[offset] = labels.label_of(prop, text) or row[offset]
        yield row


def _property_names(values: Iterable[Any], taken: set[str]) -> list[str]:
    """Every entity property that occurs, sorted; a first pass that keeps only the names."""
    names: set[str] = set()
    for data in values.iterator(chunk_size=CHUNK) if isinstance(values, QuerySet) else values:
        if isinstance(data, dict):
            names.update(data)
    return sorted(names - taken - {"label"})


def _registry_rows(households: QuerySet[Household], properties: list[str]) -> Iterator[list[Any]]:
    rows = households.order_by("code").values_list(*_REGISTRY_FIELDS, "properties")
    for *values, data in rows.iterator(chunk_size=CHUNK):
        values[0] = str(values[0])
        values[15] = _moment(values[15])
        data = data if isinstance(data, dict) else {}
        yield [*values, *(data.get(p) for p in properties)]


def _history_rows(
    versions: QuerySet[HouseholdVersion], properties: list[str], labels: PropertyLabels | None
) -> Iterator[list[Any]]:
    name = labels.name if labels is not None else str
    rows = versions.order_by("household_id", "version").values_list(
        "household_id", "household__uuid", "household__code", "version", "created_at", "label",
        "base_version", "conflict", "conflicting_properties", "submission__instance_id",
        "actor__username", "data",
    )  # fmt: skip
    previous: tuple[int, dict[str, Any]] = (0, {})
    for (
        household_id,
        uuid,
        code,
        version,
        created,
        label,
        base,
        conflict,
        props,
        sub,
        actor,
        data,
    ) in rows.iterator(chunk_size=CHUNK):
        data = data if isinstance(data, dict) else {}
        before = previous[1] if previous[0] == household_id else {}
        changed = sorted(k for k in before.keys() | data.keys() if before.get(k) != data.get(k))
        previous = (household_id, data)
        yield [
            str(uuid), code, version, _moment(created), label, base, conflict,
            ", ".join(map(name, props or [])), sub or "", actor or "",
            ", ".join(map(name, changed)),
            *(data.get(p) for p in properties),
        ]  # fmt: skip


def _moment(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""
