"""The dashboard page: by village, households by category, open flags, overdue visits, a chart."""

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from backend.accounts.access import Actor
from backend.households.dashboard import Dashboard, project_dashboard
from backend.households.statistics import statistics_columns
from backend.projects.models import Project, Role
from backend.submissions.access import villages_with_households
from backend.web.charts import bar_chart
from backend.web.pages import project_page
from backend.web.widgets import PlainSelect


class VillageForm(forms.Form):
    # The reader's villages: set in __init__.
    village = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Village"),
        empty_label=_("All"),
        widget=PlainSelect,
    )

    def __init__(self, data: object, *, actor: Actor, project: Project) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["village"].queryset = villages_with_households(actor, project)


def _xlsx_url(project: Project, data: Dashboard) -> str:
    """The statistics endpoint of the JSON API, as a workbook with the lines the page shows."""
    query = urlencode({"format": "xlsx", "lines": ",".join(str(line) for line in data.lines)})
    return f"{reverse('api:village_table', args=[project.slug])}?{query}"


@require_GET
@project_page(role=Role.SUPERVISOR)
def dashboard(request: HttpRequest, project: Project) -> HttpResponse:
    chosen = VillageForm(request.GET, actor=request.user, project=project)
    valid = chosen.is_valid()
    village = chosen.cleaned_data.get("village") if valid else None
    data = project_dashboard(actor=request.user, project=project, village=village)
    context = {
        "project": project,
        "village_form": chosen,
        "village": village,
        "data": data,
        "chart": bar_chart(data.per_day),
        "columns": statistics_columns(data.lines),
        "xlsx_url": _xlsx_url(project, data),
    }
    return render(request, "households/dashboard.html", context, status=200 if valid else 400)
