"""The dashboard page: by village, households by category, open flags, overdue visits, cases by
level and area, rectification items by area and department (the overdue in red), a chart."""

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.ledger_overview import rectification_overview
from backend.casework.overview import case_overview
from backend.households.dashboard import Dashboard, income_years, project_dashboard
from backend.households.statistics import statistics_columns
from backend.households.submission_access import villages_with_households
from backend.projects.models import Project, Role
from backend.web.charts import bar_chart
from backend.web.pages import project_page
from backend.web.widgets import PlainSelect


class VillageForm(forms.Form):
    # The reader's villages: set in __init__.
    village: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Village"),
        empty_label=_("All"),
        widget=PlainSelect,
    )
    # A screening table is of one year: an income is compared with the lines of its own year.
    income_year = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Income of the year")
    )

    def __init__(self, data: object, *, actor: Actor, project: Project) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        village, year = self.fields["village"], self.fields["income_year"]
        assert isinstance(village, forms.ModelChoiceField)
        assert isinstance(year, forms.TypedChoiceField)
        village.queryset = villages_with_households(actor, project)
        years = income_years(actor=actor, project=project)
        year.choices = [("", _("All years")), *((y, y) for y in years)]


def _xlsx_url(project: Project, data: Dashboard) -> str:
    """The statistics endpoint of the JSON API, as a workbook with the lines the page shows."""
    query = {"format": "xlsx", "lines": ",".join(str(line) for line in data.lines)}
    if data.income_year is not None:
        query["income_year"] = str(data.income_year)
    return f"{reverse('api:village_table', args=[project.slug])}?{urlencode(query)}"


@require_GET
@project_page(role=Role.SUPERVISOR)
def dashboard(request: HttpRequest, project: Project) -> HttpResponse:
    chosen = VillageForm(request.GET, actor=request.user, project=project)
    valid = chosen.is_valid()
    village = chosen.cleaned_data.get("village") if valid else None
    year = chosen.cleaned_data.get("income_year") if valid else None
    data = project_dashboard(actor=request.user, project=project, village=village, income_year=year)
    context = {
        "project": project,
        "village_form": chosen,
        "village": village,
        "data": data,
        "chart": bar_chart(data.per_day),
        "columns": statistics_columns(data.lines, project),
        "xlsx_url": _xlsx_url(project, data),
        "cases": case_overview(
            actor=request.user, project=project, today=timezone.localdate(), village=village
        ),
        "items": rectification_overview(
            actor=request.user, project=project, today=timezone.localdate(), village=village
        ),
    }
    return render(request, "households/dashboard.html", context, status=200 if valid else 400)
