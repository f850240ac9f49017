"""JSON API for cases: what waits for the caller, one case with its timeline, a decision."""

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Router
from ninja.pagination import CursorPagination, paginate

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.casework.access import access_case_by_id
from backend.casework.models import Case
from backend.casework.schemas import CaseDetailOut, DecideIn, WaitingCaseOut
from backend.casework.selectors import CaseDetail, case_detail, cases_waiting_for
from backend.casework.services import case_step_decide
from backend.core.schemas import ERRORS, ErrorOut
from backend.projects.models import Role

router = Router(tags=["cases"])


@router.get("/projects/{slug}/cases/waiting", response={200: list[WaitingCaseOut], **ERRORS})
@paginate(CursorPagination, ordering=("due_on", "id"), page_size=100)
def list_waiting_cases(request: SignedInRequest, slug: str) -> QuerySet[Case]:
    """The open cases whose waiting step the caller decides, and those overdue one level
    below in the caller's areas; the earliest due first, so the overdue lead."""
    project = access_project_by_slug(request.user, slug, role=Role.COLLECTOR)
    return cases_waiting_for(actor=request.user, project=project, today=timezone.localdate())


@router.get("/projects/{slug}/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def get_case(request: SignedInRequest, slug: str, case_id: int) -> CaseDetail:
    """One case with every pass through its steps, its triggers, objections and documents.

    Field workers read the cases of the households they help."""
    project = access_project_by_slug(request.user, slug, role=Role.COLLECTOR)
    case = access_case_by_id(request.user, project, case_id)
    return case_detail(case, actor=request.user)


@router.post(
    "/projects/{slug}/cases/{case_id}/decide",
    response={200: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def decide_case_step(
    request: SignedInRequest, slug: str, case_id: int, body: DecideIn
) -> CaseDetail:
    """Approve the waiting step, return the case one level down, or reject it (a return and a
    rejection say why). `record` saves values of the step's record with the decision."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    decided = case_step_decide(
        case=case,
        actor=request.user,
        decision=body.decision,
        comment=body.comment,
        values=body.record,
    )
    return case_detail(access_case_by_id(request.user, project, decided.pk), actor=request.user)
