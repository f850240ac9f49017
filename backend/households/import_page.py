"""The admin page that imports a household registry from CSV or XLSX: every row, or none."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.accounts.requests import SignedInRequest
from backend.core.errors import DomainError
from backend.households.imports import REQUIRED, households_import
from backend.households.models import Category, HouseGrade
from backend.projects.models import Project, Role
from backend.web.imports import ImportForm, refusal
from backend.web.pages import project_page
from backend.web.uploads import read_import

ACCEPT = ".csv,.xlsx"


@require_http_methods(["GET", "POST"])
@project_page(role=Role.ADMIN)
def households_import_page(request: SignedInRequest, project: Project) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, accept=ACCEPT)
    context: dict[str, Any] = {
        "project": project,
        "form": form,
        "required": REQUIRED,
        "categories": Category.choices,
        "grades": HouseGrade.values,
    }
    if request.method != "POST":
        return render(request, "households/import.html", context)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = households_import(
                project=project,
                filename=upload.name or "",
                content=read_import(upload),
                actor=request.user,
            )
        except DomainError as exc:
            context.update(refusal(exc))
            status = exc.status
        else:
            messages.success(request, _("Households registered: %(n)d.") % {"n": count})
            return HttpResponseRedirect(reverse("households:import", args=[project.slug]))
    return render(request, "households/import.html", context, status=status)
