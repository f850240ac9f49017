"""The admin page that imports counties, townships and villages with boundaries (GeoJSON)."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.areas.models import Level
from backend.areas.selectors import area_counts_by_level
from backend.areas.services import AreaImportInvalid, areas_import
from backend.core.errors import DomainError
from backend.households.access import area_editor_of
from backend.projects.models import Project, Role
from backend.web.imports import ImportForm, refusal
from backend.web.pages import project_page
from backend.web.uploads import read_import

ACCEPT = ".geojson,.json,application/geo+json,application/json"


def _collection(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreaImportInvalid(
            _("The file is not UTF-8 JSON: %(reason)s") % {"reason": exc}
        ) from None


def _level_counts() -> list[tuple[str, int]]:
    counts = area_counts_by_level()
    return [(str(label), counts[value]) for value, label in Level.choices if value in counts]


@require_http_methods(["GET", "POST"])
@project_page(role=Role.ADMIN)
def areas_import_page(request: HttpRequest, project: Project) -> HttpResponse:
    """Upload a GeoJSON FeatureCollection; every feature is imported, or none."""
    form = ImportForm(request.POST or None, request.FILES or None, accept=ACCEPT)
    context: dict[str, Any] = {"project": project, "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = areas_import(
                    collection=_collection(read_import(form.cleaned_data["file"])),
                    editor=area_editor_of(request.user, project),
                )
            except DomainError as exc:
                context.update(refusal(exc))
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Areas created: %(created)d, updated: %(updated)d.")
                    % {"created": result.created, "updated": result.updated},
                )
                return HttpResponseRedirect(reverse("areas:import", args=[project.slug]))
    context["levels"] = _level_counts()
    return render(request, "areas/import.html", context, status=status)
