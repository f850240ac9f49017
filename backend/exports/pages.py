"""The exports page: request an export, follow its progress, download the file.

The file is served by the API's download operation (session sign-in works there too), so the
page adds no second way to read an export.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.requests import SignedInRequest
from backend.core.errors import InvalidInput
from backend.core.requests import client_ip
from backend.exports.access import EXPORT_ROLE, may_export_personal_data
from backend.exports.forms import ExportRequestForm
from backend.exports.selectors import any_unfinished, recent_exports
from backend.exports.services import export_request
from backend.projects.models import Project
from backend.web.pages import project_page


def _request_form(request: HttpRequest, project: Project, data: object = None) -> ExportRequestForm:
    may_unmask = may_export_personal_data(request.user, project)
    return ExportRequestForm(data, actor=request.user, project=project, may_unmask=may_unmask)


def _list_context(request: HttpRequest, project: Project) -> dict[str, object]:
    exports = recent_exports(actor=request.user, project=project)
    return {"project": project, "exports": exports, "polling": any_unfinished(exports)}


@require_GET
@project_page(role=EXPORT_ROLE)
def exports_page(request: HttpRequest, project: Project) -> HttpResponse:
    """The request form and the reader's own exports."""
    context = {**_list_context(request, project), "form": _request_form(request, project)}
    return render(request, "exports/exports.html", context)


@require_GET
@project_page(role=EXPORT_ROLE)
def exports_list(request: HttpRequest, project: Project) -> HttpResponse:
    """The list alone, which the page fetches every few seconds while an export is unfinished."""
    return render(request, "exports/list.html", _list_context(request, project))


@require_POST
@project_page(role=EXPORT_ROLE)
def export_create(request: SignedInRequest, project: Project) -> HttpResponse:
    """Queue an export; the page then shows its progress. Refused requests queue nothing."""
    form = _request_form(request, project, request.POST)
    if form.is_valid():
        try:
            export_request(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                params=form.params(),
                ip=client_ip(request),
            )
        except InvalidInput as exc:
            form.add_error(None, str(exc))
    if not form.is_valid():
        context = {**_list_context(request, project), "form": form}
        return render(request, "exports/exports.html", context, status=400)
    messages.success(request, _("Export requested. It is listed below with its progress."))
    return HttpResponseRedirect(reverse("exports:page", args=[project.slug]))
