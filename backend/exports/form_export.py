"""Submissions of one form as CSV files in a zip or as an XLSX workbook, streamed from the
database (server-side cursor) to a temporary file."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.core.errors import InvalidInput
from backend.exports.models import Export, ExportKind
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.selection import export_form, export_submissions
from backend.exports.tables import Layout, Table, build_tables, repeat_rows
from backend.exports.writers import CsvZipWriter, TableWriter, XlsxWriter
from forms.models import Form, FormVersion
from forms.questions import DEFAULT, FormQuestions, language_code, merge_questions, read_questions

CHUNK = 2000  # rows fetched per round trip of the server-side cursor
ROOT_META_BEFORE = ["SubmissionDate"]
ROOT_META_AFTER = ["KEY", "SubmitterName", "DeviceID", "ReviewState", "FormVersion"]
REPEAT_META = ["PARENT_KEY", "KEY"]


@dataclass(frozen=True)
class Built:
    path: Path
    filename: str
    rows: int


def form_questions(form: Form) -> FormQuestions:
    """The questions of every version that has submissions, the current version first."""
    versions = [form.current_version] if form.current_version else []
    older = FormVersion.objects.filter(form=form).exclude(pk=form.current_version_id)
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
        )
    root = build_tables(form.xml_form_id, questions, layout)
    submissions = export_submissions(export)
    progress = Progress(export.pk, submissions.count())
    if export.kind == ExportKind.FORM_XLSX:
        filename = f"{form.xml_form_id}.xlsx"
        writer: TableWriter = XlsxWriter(directory / filename)
        _write(writer, root, _rows(export, submissions), progress)
        writer.close()
    else:
        filename = f"{form.xml_form_id}.zip"
        with (directory / filename).open("wb") as output:
            writer = CsvZipWriter(output)
            _write(writer, root, _rows(export, submissions), progress)
            writer.close()
    progress.save()
    return Built(directory / filename, filename, progress.done)


def _write(
    writer: TableWriter, root: Table, rows: Iterator[tuple[Any, ...]], progress: Progress
) -> None:
    for table in root.walk():
        meta = (ROOT_META_BEFORE, ROOT_META_AFTER) if table is root else ([], REPEAT_META)
        writer.add_table(table.name, [*meta[0], *table.headers, *meta[1]])
    nested = bool(root.children)
    write = writer.write
    for received, key, user, device, state, version, fields in rows:
        write(0, [received, *root.values(fields), key, user, device, state, version])
        if nested:
            for index, row in repeat_rows(root, fields, key):
                write(index, row)
        progress.step()


def _rows(export: Export, submissions: Any) -> Iterator[tuple[Any, ...]]:
    """(received, KEY, submitter, device, review state, version, fields), oldest first."""
    users = _Usernames()
    versions = dict(
        FormVersion.objects.filter(form__project=export.project).values_list("pk", "version")
    )
    zone = timezone.get_current_timezone()
    rows = (
        submissions.order_by("pk")
        .values_list(
            "created_at",
            "instance_id",
            "submitted_by_id",
            "device_id",
            "review_state",
            "form_version_id",
            "fields",
        )
        .iterator(chunk_size=CHUNK)
    )
    for created, key, user, device, state, version, fields in rows:
        yield (
            created.astimezone(zone).isoformat(timespec="seconds"),
            key,
            users[user],
            device,
            state,
            versions.get(version, ""),
            fields if isinstance(fields, dict) else {},
        )


class _Usernames(dict[int | None, str]):
    """Submitter names looked up once each: a handful of people send a million submissions."""

    def __missing__(self, pk: int | None) -> str:
        name = User.objects.filter(pk=pk).values_list("username", flat=True).first() if pk else ""
        self[pk] = name or ""
        return self[pk]
