"""The department records pages: the files read and what they found, and the households whose
records wait to be verified."""

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.accounts.access import project_role
from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.requests import client_ip
from backend.crosscheck.forms import DepartmentFileForm
from backend.crosscheck.imports import department_file_keep, department_import_start
from backend.crosscheck.selectors import (
    household_department_records,
    import_get,
    imports_list,
    open_verifications,
    templates_list,
)
from backend.households.access import access_household_by_uuid
from backend.pipeline.departments import department_file_read
from backend.projects.models import Project, Role
from backend.web.pages import project_page

IMPORTS_SHOWN = 50
PROBLEMS_SHOWN = 500


@require_GET
@project_page(role=Role.SUPERVISOR)
def records_page(request: SignedInRequest, project: Project) -> HttpResponse:
    is_admin = project_role(request.user, project) == Role.ADMIN
    context = {
        "project": project,
        "imports": imports_list(project)[:IMPORTS_SHOWN],
        "verifications": open_verifications(request.user, project),
        "form": DepartmentFileForm(project=project) if is_admin else None,
        "templates": templates_list(project),
    }
    return render(request, "crosscheck/records.html", context)


@require_POST
@project_page(role=Role.ADMIN, whole_project=True)
def import_file(request: SignedInRequest, project: Project) -> HttpResponse:
    """A department's file is kept until it is read in the background, then deleted."""
    form = DepartmentFileForm(request.POST, request.FILES, project=project)
    if not form.is_valid():
        context = {
            "project": project,
            "imports": imports_list(project)[:IMPORTS_SHOWN],
            "verifications": open_verifications(request.user, project),
            "form": form,
            "templates": templates_list(project),
        }
        return render(request, "crosscheck/records.html", context, status=400)
    upload = form.cleaned_data["file"]
    path = department_file_keep(upload)
    with transaction.atomic():
        record = department_import_start(
            project=project,
            template=form.cleaned_data["template"],
            file_name=upload.name or "",
            data_date=form.cleaned_data["data_date"],
            actor=request.user,
            ip=client_ip(request),
        )
        transaction.on_commit(partial(department_file_read.enqueue, record.pk, str(path)))
    messages.success(request, _("The file is being read; its counts appear here when it is done."))
    return HttpResponseRedirect(reverse("crosscheck:records", args=[project.slug]))


@require_GET
@project_page(role=Role.SUPERVISOR, whole_project=True)
def import_page(request: SignedInRequest, project: Project, import_id: int) -> HttpResponse:
    record = import_get(project, import_id)
    context = {
        "project": project,
        "record": record,
        "problems": record.problems.all()[:PROBLEMS_SHOWN],
    }
    return render(request, "crosscheck/import.html", context)


@require_http_methods(["GET", "POST"])
@project_page(role=Role.SUPERVISOR)
def household_records_page(
    request: SignedInRequest, project: Project, household_id: str
) -> HttpResponse:
    """What the departments' newest files say about one household's members; health and
    disability records masked unless revealed. Every view is in the access log."""
    household = access_household_by_uuid(request.user, project, household_id)
    reveal = request.method == "POST" and "reveal" in request.POST
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=AccessKind.REVEAL if reveal else AccessKind.VIEW_DEPARTMENT,
        object_type="household",
        object_ids=[household.uuid],
        ip=client_ip(request),
        detail="department records",
    )
    context = {
        "project": project,
        "household": household,
        "records": household_department_records(household, reveal=reveal),
        "revealed": reveal,
    }
    return render(request, "crosscheck/household.html", context)
