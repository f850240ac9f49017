"""GeoJSON FeatureCollections of household locations and of the points in submissions, written
one feature at a time (RFC 7946: WGS 84 longitude, latitude[, altitude])."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from backend.exports.form_export import CHUNK, Built, form_questions
from backend.exports.models import Export, ExportKind
from backend.exports.progress import Progress
from backend.exports.selection import export_households, export_submissions
from backend.exports.tables import split_geopoint
from forms.models import Form

Feature = dict[str, Any]


def build_geojson_export(export: Export, directory: Path) -> Built:
    """Write households or submission points, as the export's kind says."""
    if export.kind == ExportKind.HOUSEHOLDS_GEOJSON:
        households = export_households(export).filter(
            latitude__isnull=False, longitude__isnull=False
        )
        total, features = households.count(), _household_features(households)
        filename = f"{export.project.slug}-households.geojson"
    else:
        submissions = export_submissions(export)
        total, features = submissions.count(), _submission_features(submissions)
        filename = f"{export.project.slug}-submission-points.geojson"
    progress = Progress(export.pk, total)
    with (directory / filename).open("w", encoding="utf-8") as output:
        written = write_collection(output, features, progress)
    progress.save()
    return Built(directory / filename, filename, written)


def write_collection(
    output: IO[str], features: Iterator[Feature | None], progress: Progress
) -> int:
    """Stream a FeatureCollection; `None` marks a source row without a feature. Return the count."""
    output.write('{"type": "FeatureCollection", "features": [\n')
    written = 0
    for feature in features:
        progress.step()
        if feature is None:
            continue
        if written:
            output.write(",\n")
        output.write(json.dumps(feature, ensure_ascii=False, default=str))
        written += 1
    output.write("\n]}\n")
    return written


def _point(latitude: float, longitude: float, altitude: float | None = None) -> dict[str, Any]:
    coordinates = [longitude, latitude] if altitude is None else [longitude, latitude, altitude]
    return {"type": "Point", "coordinates": coordinates}


def _household_features(households: Any) -> Iterator[Feature | None]:
    rows = households.order_by("code").values_list(
        "uuid", "code", "label", "village__code", "village__name", "category", "house_grade",
        "member_count", "income_per_capita", "last_visit_at", "version", "latitude", "longitude",
        "accuracy",
    )  # fmt: skip
    for (
        uuid,
        code,
        label,
        village,
        village_name,
        category,
        grade,
        members,
        income,
        visit,
        version,
        lat,
        lon,
        acc,
    ) in rows.iterator(chunk_size=CHUNK):
        yield {
            "type": "Feature",
            "id": str(uuid),
            "geometry": _point(lat, lon),
            "properties": {
                "code": code,
                "label": label,
                "village": village,
                "village_name": village_name,
                "category": category,
                "house_grade": grade,
                "member_count": members,
                "income_per_capita": float(income) if income is not None else None,
                "last_visit_at": _moment(visit),
                "version": version,
                "accuracy": acc,
            },
        }


def _submission_features(submissions: Any) -> Iterator[Feature | None]:
    """One feature per geopoint answer (repeats included); submissions without one yield None."""
    points: dict[int, list[tuple[list[str], str]]] = {}
    forms: dict[int, str] = {}
    rows = submissions.order_by("pk").values_list(
        "form_id", "instance_id", "created_at", "submitted_by__username", "review_state", "fields"
    )
    for form_id, key, created, user, state, fields in rows.iterator(chunk_size=CHUNK):
        if form_id not in points:
            form = Form.objects.select_related("current_version").get(pk=form_id)
            forms[form_id], points[form_id] = form.xml_form_id, _geopoint_paths(form)
        common = {
            "form": forms[form_id],
            "KEY": key,
            "submitted_at": _moment(created),
            "submitter": user or "",
            "review_state": state,
        }
        found = list(_answers(fields if isinstance(fields, dict) else {}, points[form_id], key))
        if not found:
            yield None
        for index, (question, row_key, value) in enumerate(found):
            latitude, longitude, altitude, accuracy = split_geopoint(value)
            if latitude is None or longitude is None:
                continue
            yield {
                "type": "Feature",
                "id": f"{key}#{index + 1}",
                "geometry": _point(latitude, longitude, altitude),
                "properties": {
                    **common,
                    "question": question,
                    "row_key": row_key,
                    "accuracy": accuracy,
                },
            }


def _geopoint_paths(form: Form) -> list[tuple[list[str], str]]:
    """For each geopoint question: the fields keys of its enclosing repeats, and its own key."""
    questions = form_questions(form)
    repeat_keys = {q.path: q.key(questions.root) for q in questions.questions if q.kind == "repeat"}
    out = []
    for question in questions.questions:
        if question.kind != "geopoint":
            continue
        chain: list[str] = []
        container = question.repeat
        while container:
            chain.insert(0, repeat_keys[container])
            container = next((q.repeat for q in questions.questions if q.path == container), "")
        out.append((chain, question.key(questions.root)))
    return out


def _answers(
    fields: dict[str, Any], paths: list[tuple[list[str], str]], key: str
) -> Iterator[tuple[str, str, str]]:
    """(question key, row KEY, answer) for every non-empty geopoint answer."""
    for chain, question in paths:
        for row_key, row in _rows_along(fields, chain, key):
            value = row.get(question)
            if value:
                yield question, row_key, value


def _rows_along(
    fields: dict[str, Any], chain: list[str], key: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    if not chain:
        yield key, fields
        return
    entries = fields.get(chain[0])
    name = chain[0].rsplit("/", 1)[-1]
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if isinstance(entry, dict):
            yield from _rows_along(entry, chain[1:], f"{key}/{name}[{number}]")


def _moment(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None
