"""The project settings page: monitoring line, visit cadence, approval, and the risk weights."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.flags.risk import SEVERITY_WEIGHTS
from backend.projects.forms import ProjectSettingsForm
from backend.projects.models import Project, Role
from backend.projects.selectors import project_by_id
from backend.projects.services import project_settings_update
from backend.review.forms import RiskWeightsForm
from backend.review.services import risk_weights_set
from backend.web.pages import project_page


def _render(
    request: HttpRequest, project: Project, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "project": project,
        "settings_form": forms.get("settings_form") or ProjectSettingsForm(instance=project),
        "weights_form": forms.get("weights_form") or RiskWeightsForm(project=project),
        "severity_weights": SEVERITY_WEIGHTS,
    }
    return render(request, "projects/settings.html", context, status=status)


def _back(project: Project) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("projects:settings", args=[project.slug]))


@require_GET
@project_page(role=Role.ADMIN)
def settings_page(request: HttpRequest, project: Project) -> HttpResponse:
    return _render(request, project)


@require_POST
@project_page(role=Role.ADMIN, whole_project=True)
def settings_save(request: HttpRequest, project: Project) -> HttpResponse:
    # Bound to a copy: a refused value must not show in the nav before it is saved.
    form = ProjectSettingsForm(request.POST, instance=project_by_id(project.pk))
    if not form.is_valid():
        return _render(request, project, status=400, settings_form=form)
    changes = {name: form.cleaned_data[name] for name in form.changed_data}
    if changes:
        project_settings_update(project=project, changes=changes)
    messages.success(request, _("Settings saved."))
    return _back(project)


@require_POST
@project_page(role=Role.ADMIN, whole_project=True)
def weights_save(request: HttpRequest, project: Project) -> HttpResponse:
    form = RiskWeightsForm(request.POST, project=project)
    if not form.is_valid():
        return _render(request, project, status=400, weights_form=form)
    risk_weights_set(project=project, weights=form.weights())
    messages.success(request, _("Risk weights saved."))
    return _back(project)
