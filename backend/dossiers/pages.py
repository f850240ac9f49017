"""One household's file: a page to print and the same file as a PDF. Each is a look at the
household's data, written in the access log."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.requests import client_ip
from backend.dossiers.content import CHECKS, Dossier, household_dossier
from backend.dossiers.pdf import dossier_pdf
from backend.households.access import access_household_by_uuid
from backend.projects.models import Project, Role
from backend.web.pages import project_page


def _dossier(request: SignedInRequest, project: Project, household_id: str, form: str) -> Dossier:
    household = access_household_by_uuid(request.user, project, household_id)
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[household.uuid],
        ip=client_ip(request),
        detail=f"household file ({form})",
    )
    return household_dossier(actor=request.user, project=project, household=household)


@require_GET
@project_page(role=Role.SUPERVISOR)
def dossier_page(request: SignedInRequest, project: Project, household_id: str) -> HttpResponse:
    dossier = _dossier(request, project, household_id, "page")
    context = {"project": project, "dossier": dossier, "checks": len(CHECKS)}
    return render(request, "dossiers/dossier.html", context)


@require_GET
@project_page(role=Role.SUPERVISOR)
def dossier_pdf_page(request: SignedInRequest, project: Project, household_id: str) -> HttpResponse:
    dossier = _dossier(request, project, household_id, "PDF")
    response = HttpResponse(dossier_pdf(dossier), content_type="application/pdf")
    name = f"{dossier.household.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
