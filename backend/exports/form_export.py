"""Submissions of one form as CSV files in a zip or as an XLSX workbook, streamed from the
database (server-side cursor) to a temporary file."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.audit.privacy import hidden, is_personal
from backend.core.errors import InvalidInput
from backend.exports.copy_csv import copy_form_csv
from backend.exports.copy_sql import quote
from backend.exports.models import Export, ExportKind
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.selection import export_form, export_submissions
from backend.exports.tables import Layout, Table, build_tables, repeat_rows
from backend.exports.writers import CsvZipWriter, TableWriter, XlsxWriter
from backend.submissions.models import Submission
from forms.models import Form, FormVersion
from forms.questions import DEFAULT, FormQuestions, language_code, merge_questions, read_questions

CHUNK = 2000  # rows fetched per round trip of the server-side cursor
ROOT_META_BEFORE = ["SubmissionDate"]
ROOT_META_AFTER = ["KEY", "SubmitterName", "DeviceID", "ReviewState", "FormVersion"]
REPEAT_META = ["PARENT_KEY", "KEY"]
# Let PostgreSQL write form CSVs (backend.exports.copy_csv); off only to compare the writers.
COPY_CSV = True


@dataclass(frozen=True)
class Built:
    path: Path
    filename: str
    rows: int


def form_questions(form: Form) -> FormQuestions:
    """The questions of every version that has submissions, the current version first."""
    versions = [form.current_version] if form.current_version else []
    older = FormVersion.objects.filter(form=form)
    if form.current_version_id is not None:
        older = older.exclude(pk=form.current_version_id)
    versions += list(older.filter(submissions__isnull=False).distinct().order_by("-created_at"))
    return merge_questions([read_questions(v.xform_bytes) for v in versions if v])


def resolve_language(questions: FormQuestions, language: str, locale: str) -> str:
    """The translation to use: the one named (by name or code), else the requester's."""
    if not questions.languages:
        return DEFAULT
    by_code = {language_code(name).lower(): name for name in questions.languages}
    if language:
        found = language if language in questions.languages else by_code.get(language.lower())
        if found is None:
            raise InvalidInput(
                _("The form has no language %(language)s. It has: %(languages)s")
                % {"language": language, "languages": ", ".join(questions.languages)}
            )
        return found
    wanted = (locale or "").split("-")[0].lower()
    return by_code.get(wanted, questions.languages[0])


def build_form_export(export: Export, directory: Path) -> Built:
    """Write the export's form submissions, one table per repeat group."""
    params = ExportParams.from_json(export.parameters)
    form = export_form(export)
    questions = form_questions(form)
    with translation.override(params.locale or None):
        layout = Layout(
            labels=params.labels,
            language=resolve_language(questions, params.language, params.locale),
            split_select_multiple=params.split_select_multiple,
            part_names={
                "Latitude": _("latitude"),
                "Longitude": _("longitude"),
                "Altitude": _("altitude"),
                "Accuracy": _("accuracy"),
            },
            typed=export.kind == ExportKind.FORM_XLSX,
            sensitive=is_personal,
            hide=None if params.personal_data else hidden,
        )
    root = build_tables(form.xml_form_id, questions, layout)
    submissions = export_submissions(export)
    if export.kind == ExportKind.FORM_XLSX:
        filename = f"{form.xml_form_id}.xlsx"
        progress = Progress(export.pk, submissions.count())
        writer = XlsxWriter(directory / filename)
        _write(writer, root, _rows(submissions, root), progress)
        writer.close()
        progress.save()
        return Built(directory / filename, filename, progress.done)
    filename = f"{form.xml_form_id}.zip"
    with (directory / filename).open("wb") as output:
        rows = _write_csv(CsvZipWriter(output), root, submissions, export.pk)
    return Built(directory / filename, filename, rows)


def _write_csv(
    writer: CsvZipWriter, root: Table, submissions: QuerySet[Submission], export_id: int
) -> int:
    """PostgreSQL writes the CSV itself (COPY, same bytes); other databases go row by row."""
    add_tables(writer, root)
    if connection.vendor == "postgresql" and COPY_CSV:
        rows = copy_form_csv(writer, root, submissions, export_id)
    else:
        progress = Progress(export_id, submissions.count())
        _write_rows(writer, root, _rows(submissions, root), progress)
        progress.save()
        rows = progress.done
    writer.close()
    return rows


# received, KEY, submitter, device, review state, version, root answers, fields with the repeats
_Row = tuple[str, str, str, str, str, str, list[Any], dict[str, Any]]


def add_tables(writer: TableWriter, root: Table) -> None:
    """One table per repeat group, in `root.walk()` order, with its meta columns."""
    for table in root.walk():
        meta = (ROOT_META_BEFORE, ROOT_META_AFTER) if table is root else ([], REPEAT_META)
        writer.add_table(table.name, [*meta[0], *table.headers, *meta[1]])


def _write(writer: TableWriter, root: Table, rows: Iterator[_Row], progress: Progress) -> None:
    add_tables(writer, root)
    _write_rows(writer, root, rows, progress)


def _write_rows(writer: TableWriter, root: Table, rows: Iterator[_Row], progress: Progress) -> None:
    nested = bool(root.children)
    write = writer.write
    for received, key, user, device, state, version, answers, fields in rows:
        write(0, [received, *answers, key, user, device, state, version])
        if nested:
            for index, row in repeat_rows(root, fields, key):
                write(index, row)
        progress.step()


def _rows(submissions: QuerySet[Submission], root: Table) -> Iterator[_Row]:
    """The submissions oldest first, with their root answers in column order."""
    users, versions = _Usernames(), _Versions()
    zone = timezone.get_current_timezone()
    if connection.vendor == "postgresql":
        source = _postgres_rows(submissions, root)
    else:
        source = _portable_rows(submissions, root)
    for created, key, user, device, state, version, answers, fields in source:
        received = created.astimezone(zone).isoformat(timespec="seconds")
        yield received, key, users[user], device, state, versions[version], answers, fields


_META = ("created_at", "instance_id", "submitted_by_id", "device_id", "review_state",
         "form_version_id")  # fmt: skip


def _portable_rows(submissions: QuerySet[Submission], root: Table) -> Iterator[tuple[Any, ...]]:
    rows = submissions.order_by("pk").values_list(*_META, "fields").iterator(chunk_size=CHUNK)
    for *meta, fields in rows:
        fields = fields if isinstance(fields, dict) else {}
        yield (*meta, root.values(fields), fields)


def _postgres_rows(submissions: QuerySet[Submission], root: Table) -> Iterator[tuple[Any, ...]]:
    """PostgreSQL reads the answers out of the JSON (jsonb_to_record, one pass over each
    document) so Python neither parses whole documents nor looks keys up: about twice as fast.
    Only the repeats come back as JSON, and they are small."""
    keys = root.distinct_keys
    children = [child.key for child in root.children]
    ids_sql, ids_params = submissions.order_by().values("pk").query.sql_with_params()
    columns = ", ".join(f"{quote(k)} text" for k in keys)
    answers = ", ".join(f"r.{quote(k)}" for k in keys) or "NULL"
    repeats = "".join(", s.fields -> %s" for _ in children)
    # Column names are quoted identifiers from the form; values and filters are parameters.
    sql = (
        f"SELECT {', '.join('s.' + m for m in _META)}, {answers}{repeats} "  # noqa: S608
        f"FROM {Submission._meta.db_table} s "
        f"CROSS JOIN LATERAL jsonb_to_record(CASE WHEN jsonb_typeof(s.fields) = 'object' "
        f"THEN s.fields ELSE '{{}}'::jsonb END) AS r({columns or 'none_ text'}) "
        f"WHERE s.id IN ({ids_sql}) ORDER BY s.id"
    )
    meta, width = len(_META), len(keys) or 1
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, (*children, *ids_params))
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                fields = {
                    child: json.loads(text)
                    for child, text in zip(children, row[meta + width :], strict=True)
                    if text is not None
                }
                yield (*row[:meta], root.values_from(row[meta : meta + width]), fields)


class _Usernames(dict[int | None, str]):
    """Submitter names looked up once each: a handful of people send a million submissions."""

    def __missing__(self, pk: int | None) -> str:
        name = User.objects.filter(pk=pk).values_list("username", flat=True).first() if pk else ""
        self[pk] = name or ""
        return self[pk]


class _Versions(dict[int, str]):
    def __missing__(self, pk: int) -> str:
        version = FormVersion.objects.filter(pk=pk).values_list("version", flat=True).first()
        self[pk] = version or ""
        return self[pk]
