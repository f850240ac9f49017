"""The access-log page's rows: each entry with the record it names in words.

An entry keeps its record as the pages address it (a household's UUID, a submission's number);
this module looks those up a page at a time and names them as people know them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backend.audit.models import AccessLog
from backend.exports.selectors import export_kind_names
from backend.households.models import Household
from backend.households.selectors import household_names, submission_titles


@dataclass(frozen=True)
class LogRow:
    entry: AccessLog
    record: str  # the record in words ("" when there is nothing to name)
    household: Household | None  # to link to its page
    submission_id: int | None
    detail: str


def log_rows(entries: list[AccessLog], *, project_id: int) -> list[LogRow]:
    """The entries with their records named: three lookups a page, whatever its length."""
    ids = _ids_by_type(entries)
    households = household_names(project_id=project_id, uuids=ids.get("household", []))
    submissions = submission_titles(project_id=project_id, ids=ids.get("submission", []))
    exports = export_kind_names(project_id=project_id, ids=ids.get("export", []))
    rows = []
    for entry in entries:
        household = households.get(entry.object_id) if entry.object_type == "household" else None
        record, submission_id = _record(entry, household, submissions, exports)
        rows.append(LogRow(entry, record, household, submission_id, _detail(entry)))
    return rows


def _ids_by_type(entries: list[AccessLog]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for entry in entries:
        ids.setdefault(entry.object_type, []).append(entry.object_id)
    return ids


def _record(
    entry: AccessLog,
    household: Household | None,
    submissions: dict[str, str],
    exports: dict[str, str],
) -> tuple[str, int | None]:
    kind = entry.object_type
    if kind == "household":
        return (household.label if household else _("a household no longer in the project")), None
    if kind == "submission":
        title = submissions.get(entry.object_id)
        if title is None:
            return _("a submission no longer in the project"), None
        return title, int(entry.object_id)
    if kind == "export":
        return exports.get(entry.object_id, _("an export since deleted")), None
    if kind == "household_list":
        return _household_list(entry), None
    return "", None  # a case document or a department's file: the detail names it


def _household_list(entry: AccessLog) -> str:
    count = entry.count or 0
    text = ngettext(
        "household list of %(count)s household", "household list of %(count)s households", count
    ) % {"count": count}
    if entry.device is not None and entry.device.label:
        text += " · " + _("phone: %(label)s") % {"label": entry.device.label}
    return text


def _detail(entry: AccessLog) -> str:
    """The entry's note where it is written for people; the API's markers in words."""
    if entry.detail == "api":
        return _("through the API")
    if entry.detail == "api list":
        return _("in a list through the API")
    if entry.object_type in {"case_document", "department"}:
        return entry.detail
    return ""
