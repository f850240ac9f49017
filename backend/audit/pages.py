"""The access log for a county's admins: who looked at whose personal data, when, from where.

Only admins whose area covers the whole project read it (the log names every area's records);
everyone else gets the 403 or 404 of the other whole-project pages.
"""

import io
from typing import cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.audit.forms import AccessLogFilterForm
from backend.audit.log_page import LogRow, log_rows
from backend.audit.models import AccessLog
from backend.audit.selectors import AccessLogQuery, access_log_list
from backend.exports.formulas import SafeCsvWriter
from backend.projects.models import Project, Role
from backend.web.pages import project_page
from backend.web.paging import CappedPaginator

PAGE_SIZE = 50
PAGE_CAP = 10_000  # beyond, narrow the filters (the count stops here)
CSV_CAP = 50_000
CSV_CHUNK = 500


def _entries(request: HttpRequest, project: Project) -> tuple[AccessLogFilterForm, QuerySet]:
    filters = AccessLogFilterForm(request.GET, project=project)
    query = filters.query() if filters.is_valid() else AccessLogQuery()
    entries = access_log_list(project=project, query=query)
    return filters, entries if filters.is_valid() else entries.none()


@require_GET
@project_page(role=Role.ADMIN, whole_project=True)
def access_log_page(request: HttpRequest, project: Project) -> HttpResponse:
    """The log, newest first, 50 entries a page, with filters and a CSV download."""
    filters, entries = _entries(request, project)
    page = CappedPaginator(entries, PAGE_SIZE, cap=PAGE_CAP).get_page(request.GET.get("page"))
    rows = log_rows(cast("list[AccessLog]", list(page.object_list)), project_id=project.pk)
    other_pages = request.GET.copy()
    other_pages.pop("page", None)
    context = {
        "project": project,
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": other_pages.urlencode(),
    }
    return render(request, "audit/access_log.html", context)


@require_GET
@project_page(role=Role.ADMIN, whole_project=True)
def access_log_csv(request: HttpRequest, project: Project) -> HttpResponse:
    """The filtered log as a CSV file (the newest CSV_CAP entries), for a spreadsheet."""
    _filters, entries = _entries(request, project)
    # Excel reads the file as UTF-8 only with the byte-order mark.
    buffer = io.StringIO("\ufeff")
    buffer.seek(0, io.SEEK_END)
    writer = SafeCsvWriter(buffer)
    writer.writerow([_("Time"), _("Person"), _("What they did"), _("Record"), _("Note"), _("IP")])
    for start in range(0, CSV_CAP, CSV_CHUNK):
        chunk = list(entries[start : start + CSV_CHUNK])
        writer.writerows(_csv_line(row) for row in log_rows(chunk, project_id=project.pk))
        if len(chunk) < CSV_CHUNK:
            break
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


def _csv_line(row: LogRow) -> list[str]:
    entry = row.entry
    when = date_format(timezone.localtime(entry.created_at), "Y-m-d H:i:s")
    kind = str(entry.get_kind_display())
    return [when, str(entry.user), kind, row.record, row.detail, entry.ip or ""]
