"""The renovation page: the renovation's row in words and its before/after evidence, photo by
photo with places, times and the evidence checks, and a comparison of the same spot before and
after (docs/renovation.md)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.casework.access import access_case_by_id
from backend.casework.models import Kind
from backend.casework.renovation_selectors import renovation_spots, renovation_view
from backend.core.errors import NotFound
from backend.core.requests import client_ip
from backend.projects.models import Project, Role
from backend.web.pages import project_page


@require_GET
@project_page(role=Role.SUPERVISOR)
def renovation_page(request: SignedInRequest, project: Project, case_id: int) -> HttpResponse:
    """One renovation; each look is in the access log, as the case page's."""
    case = access_case_by_id(request.user, project, case_id)
    if case.kind != Kind.RENOVATION or case.household is None:
        raise NotFound(_("Renovation not found."))
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[case.household.uuid],
        ip=client_ip(request),
        detail=f"renovation {case.pk}",
    )
    spots = renovation_spots(case)
    context = {
        "project": project,
        "case": case,
        "view": renovation_view(case, timezone.localdate()),
        "spots": spots,
        # The spots photographed both before and after: compared on one slider.
        "compared": [spot for spot in spots if spot.photos[0] and spot.photos[-1]],
    }
    return render(request, "casework/renovation.html", context)
