"""JSON API for the statistics tables of the work plans: their list, and one table for a year
as JSON or as the documents' workbook."""

from typing import Any

from django.http import HttpResponse
from ninja import Router

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.core.schemas import ERRORS
from backend.projects.models import Role
from backend.statistics.report import statistics_report
from backend.statistics.schemas import ReportOut, TableOut
from backend.statistics.selectors import table_as_json, table_spec, table_year
from backend.statistics.tables import TABLES
from backend.statistics.xlsx import report_xlsx

router = Router(tags=["statistics"])

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TABLE_RESPONSE = {
    "description": "The table (JSON), or the same table as a workbook (format=xlsx)",
    "content": {_XLSX: {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/projects/{slug}/statistics/tables", response={200: list[TableOut], **ERRORS})
def list_tables(request: SignedInRequest, slug: str) -> list[dict[str, Any]]:
    """The tables the work plans ask for, each with its seed, quote and columns."""
    access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    return [table_as_json(spec) for spec in TABLES.values()]


@router.get(
    "/projects/{slug}/statistics/tables/{key}",
    response={200: ReportOut, **ERRORS},
    openapi_extra={"responses": {200: _TABLE_RESPONSE}},
)
def get_table(
    request: SignedInRequest, slug: str, key: str, year: int | None = None, format: str = "json"
) -> dict[str, Any] | HttpResponse:
    """One table for a year (default: the newest income year): a row per village you see, each
    township's subtotal after its villages, and the total. `format=xlsx` gives the workbook."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    spec = table_spec(key)
    report = statistics_report(
        actor=request.user,
        project=project,
        table=spec,
        year=table_year(year, actor=request.user, project=project),
    )
    if format == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=_XLSX)
        filename = f"{slug}-{spec.key}-{report.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return {
        "table": table_as_json(spec),
        "year": report.year,
        "rows": [row.__dict__ for row in report.rows],
    }
