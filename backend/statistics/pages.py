"""The statistics tables page: pick a table and a year, read it by village with the townships'
subtotals, download the same table as the documents' workbook."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from backend.accounts.requests import SignedInRequest
from backend.projects.models import Project, Role
from backend.statistics.report import statistics_report
from backend.statistics.selectors import FIRST_YEAR, LAST_YEAR, table_spec, table_year
from backend.statistics.spec import Column
from backend.statistics.tables import TABLES
from backend.web.pages import project_page
from backend.web.widgets import PlainSelect


class TableForm(forms.Form):
    table = forms.ChoiceField(label=_("Table"), required=False, widget=PlainSelect)
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def __init__(self, data: object) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        table = self.fields["table"]
        assert isinstance(table, forms.ChoiceField)
        table.choices = [(key, spec.title) for key, spec in TABLES.items()]


@require_GET
@project_page(role=Role.SUPERVISOR)
def tables_page(request: SignedInRequest, project: Project) -> HttpResponse:
    chosen = TableForm(request.GET)
    valid = chosen.is_valid()
    key = (chosen.cleaned_data.get("table") if valid else "") or next(iter(TABLES))
    asked = chosen.cleaned_data.get("year") if valid else None
    spec = table_spec(key)
    year = table_year(asked, actor=request.user, project=project)
    report = statistics_report(actor=request.user, project=project, table=spec, year=year)
    query = urlencode({"year": year, "format": "xlsx"})
    context = {
        "project": project,
        "form": chosen,
        "report": report,
        "header": header_rows(report.table.columns),
        "xlsx_url": f"{reverse('api:get_table', args=[project.slug, key])}?{query}",
    }
    return render(request, "statistics/tables.html", context, status=200 if valid else 400)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    columns: int  # colspan
    rows: int  # rowspan


def header_rows(columns: tuple[Column, ...]) -> tuple[list[HeaderCell], list[str]]:
    """The documents' two-row header: each group heading over its columns, and a column without
    a group spanning both rows; then the grouped columns' own labels."""
    first: list[HeaderCell] = []
    second: list[str] = []
    for column in columns:
        heading = str(column.group)
        if not heading:
            first.append(HeaderCell(str(column.label), 1, 2))
            continue
        second.append(str(column.label))
        if first and first[-1].rows == 1 and first[-1].text == heading:
            first[-1] = HeaderCell(heading, first[-1].columns + 1, 1)
        else:
            first.append(HeaderCell(heading, 1, 1))
    return first, second
