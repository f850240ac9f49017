"""JSON API for cases: what waits for the caller, the cases they see, one case with its
timeline; opening a case, a step's record, documents, objections and decisions."""

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.areas.access import access_area_by_code
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.casework.access import (
    access_case_by_id,
    access_casework_project,
    access_flag_for_rectification,
)
from backend.casework.documents import case_document_add
from backend.casework.downloads import case_document_response
from backend.casework.extensions import rectification_deadline_extend
from backend.casework.ledger import LedgerFilters, rectifications_listed
from backend.casework.models import Case, CaseAttachment, NoticeObjection
from backend.casework.objections import notice_objection_record, notice_objection_resolve
from backend.casework.opening import case_open_by_person
from backend.casework.rectification import (
    Assignment,
    rectification_open_for_flag,
    rectification_open_for_village,
)
from backend.casework.schemas import (
    AssignmentIn,
    CaseDetailOut,
    CaseFiltersIn,
    DecideIn,
    DocumentIn,
    DocumentOut,
    ExtendIn,
    LedgerFiltersIn,
    LedgerItemOut,
    ListedCaseOut,
    ObjectionIn,
    ObjectionOut,
    OpenCaseIn,
    OpenFlagItemIn,
    OpenVillageItemIn,
    RecordIn,
    ResolveIn,
    WaitingCaseOut,
)
from backend.casework.selectors import (
    CaseDetail,
    CaseFilters,
    case_detail,
    case_document,
    case_objection,
    cases_listed,
    cases_waiting_for,
)
from backend.casework.services import case_step_decide, case_step_record
from backend.core.requests import client_ip
from backend.core.schemas import ERRORS, ErrorOut
from backend.households.access import access_household_by_uuid
from backend.projects.models import Project, Role

router = Router(tags=["cases"])

_FILE_RESPONSE = {
    "description": "The document's file (a scan or a photo)",
    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
}


def _detail(request: SignedInRequest, project: Project, case_id: int) -> CaseDetail:
    """The case as the caller reads it; what the departments found, when it is shown, is a view
    of the household's department records and goes in the access log."""
    detail = case_detail(access_case_by_id(request.user, project, case_id), actor=request.user)
    if detail.department_checks and detail.case.household is not None:
        access_log_record(
            user=request.user,
            project_id=project.pk,
            kind=AccessKind.VIEW_DEPARTMENT,
            object_type="household",
            object_ids=[detail.case.household.uuid],
            ip=client_ip(request),
            detail="case",
        )
    return detail


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

    Field workers read the cases of the households they help; department staff the
    rectification items handed to their department."""
    project = access_casework_project(request.user, slug, role=Role.COLLECTOR)
    return _detail(request, project, case_id)


@router.post(
    "/projects/{slug}/cases/{case_id}/decide",
    response={200: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def decide_case_step(
    request: SignedInRequest, slug: str, case_id: int, body: DecideIn
) -> CaseDetail:
    """Approve the waiting step, return the case one level down, or reject it (a return and a
    rejection say why). `record` saves values of the step's record with the decision."""
    project = access_casework_project(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    decided = case_step_decide(
        case=case,
        actor=request.user,
        decision=body.decision,
        comment=body.comment,
        values=body.record,
    )
    return _detail(request, project, decided.pk)


@router.post(
    "/projects/{slug}/cases/{case_id}/deadline",
    response={200: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def extend_deadline(
    request: SignedInRequest, slug: str, case_id: int, body: ExtendIn
) -> CaseDetail:
    """Give a rectification item waiting for its rectification until a later deadline, saying
    why: the township or the county of its area. The opening's deadline stays in the record;
    the item is due, and overdue, by the new one."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    rectification_deadline_extend(
        case=case, actor=request.user, deadline=body.deadline, reason=body.reason
    )
    return _detail(request, project, case.pk)


@router.get("/projects/{slug}/cases", response={200: list[ListedCaseOut], **ERRORS})
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=100)
def list_cases(
    request: SignedInRequest, slug: str, filters: Query[CaseFiltersIn]
) -> QuerySet[Case]:
    """The cases the caller may see, newest first, narrowed by state, level, kind, village code
    or `overdue` (open and past their step's due date)."""
    project = access_project_by_slug(request.user, slug, role=Role.COLLECTOR)
    return cases_listed(
        actor=request.user,
        project=project,
        filters=CaseFilters(**filters.dict()),
        today=timezone.localdate(),
    )


@router.post(
    "/projects/{slug}/cases",
    response={200: CaseDetailOut, 201: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def open_case(request: SignedInRequest, slug: str, body: OpenCaseIn) -> Status[CaseDetail]:
    """Open a case on a household by hand (201), or join the household's open case (200): a
    household has one case open at a time. 409 says why the household cannot take this kind."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, body.household)
    case, opened = case_open_by_person(
        household=household,
        actor=request.user,
        kind=body.kind,
        category=body.category,
        reason=body.reason,
    )
    return Status(201 if opened else 200, _detail(request, project, case.pk))


@router.post(
    "/projects/{slug}/cases/{case_id}/record",
    response={200: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def record_case_step(
    request: SignedInRequest, slug: str, case_id: int, body: RecordIn
) -> CaseDetail:
    """Save values of the waiting step's record without deciding it (the level of the step)."""
    project = access_casework_project(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    case_step_record(case=case, actor=request.user, values=body.record)
    return _detail(request, project, case_id)


@router.post(
    "/projects/{slug}/cases/{case_id}/documents",
    response={201: DocumentOut, 409: ErrorOut, **ERRORS},
)
def add_case_document(
    request: SignedInRequest,
    slug: str,
    case_id: int,
    file: File[UploadedFile],
    document: Form[DocumentIn],
) -> Status[CaseAttachment]:
    """Add a document or a signature to the waiting step (multipart: `file`, `role`, and for a
    signature `signer_role` and `signer_name`); the level of the step gives them."""
    project = access_casework_project(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    added = case_document_add(
        case=case,
        actor=request.user,
        role=document.role,
        file=file,
        name=file.name or "",
        content_type=file.content_type or "",
        signer_role=document.signer_role,
        signer_name=document.signer_name,
    )
    return Status(201, added)


@router.get(
    "/projects/{slug}/cases/{case_id}/documents/{document_id}",
    response=ERRORS,
    openapi_extra={"responses": {200: _FILE_RESPONSE}},
)
def download_case_document(
    request: SignedInRequest, slug: str, case_id: int, document_id: int
) -> HttpResponseBase:
    """The document's file, for those who see the case; each download is in the access log (a
    consent or a double-confirmation form names the household's people)."""
    project = access_casework_project(request.user, slug, role=Role.COLLECTOR)
    case = access_case_by_id(request.user, project, case_id)
    document = case_document(case, document_id)
    return case_document_response(request, request.user, document)


@router.post(
    "/projects/{slug}/cases/{case_id}/objections",
    response={201: ObjectionOut, 409: ErrorOut, **ERRORS},
)
def record_objection(
    request: SignedInRequest, slug: str, case_id: int, body: ObjectionIn
) -> Status[NoticeObjection]:
    """Record an objection to the case's public notice (any level deciding on the household)."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    objection = notice_objection_record(
        case=case,
        actor=request.user,
        received_on=body.received_on,
        text=body.text,
        raised_by=body.raised_by,
    )
    return Status(201, objection)


@router.post(
    "/projects/{slug}/cases/{case_id}/objections/{objection_id}/resolve",
    response={200: ObjectionOut, 409: ErrorOut, **ERRORS},
)
def resolve_objection(
    request: SignedInRequest, slug: str, case_id: int, objection_id: int, body: ResolveIn
) -> NoticeObjection:
    """Say whether an objection is upheld or dismissed, and how it was handled."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = access_case_by_id(request.user, project, case_id)
    objection = case_objection(case, objection_id)
    return notice_objection_resolve(
        objection=objection, actor=request.user, outcome=body.outcome, note=body.note
    )


@router.get("/projects/{slug}/rectifications", response={200: list[LedgerItemOut], **ERRORS})
@paginate(CursorPagination, ordering=("due_on", "id"), page_size=100)
def list_rectifications(
    request: SignedInRequest, slug: str, filters: Query[LedgerFiltersIn]
) -> QuerySet[Case]:
    """The rectification ledger: the items the caller sees, the earliest deadline first, with
    the problem, measure, responsible unit and person, deadline, stage, and who checked it and
    when; narrowed by stage, `overdue`, department or village code. Department staff see their
    department's items."""
    project = access_casework_project(request.user, slug, role=Role.COLLECTOR)
    return rectifications_listed(
        actor=request.user,
        project=project,
        filters=LedgerFilters(**filters.dict()),
        today=timezone.localdate(),
    )


@router.post(
    "/projects/{slug}/rectifications",
    response={200: CaseDetailOut, 201: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def open_flag_rectification(
    request: SignedInRequest, slug: str, body: OpenFlagItemIn
) -> Status[CaseDetail]:
    """Make a household's open flag a rectification item with its measure, responsible unit and
    person, deadline and, if any, department (201); a flag that has an item gives it back (200).
    The item then waits for the responsible party, then the township's and the county's checks."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    flag = access_flag_for_rectification(request.user, project, body.flag)
    case, opened = rectification_open_for_flag(
        flag=flag, actor=request.user, assignment=_assignment(body), note=body.note
    )
    detail = case_detail(access_case_by_id(request.user, project, case.pk), actor=request.user)
    return Status(201 if opened else 200, detail)


@router.post(
    "/projects/{slug}/rectifications/village",
    response={201: CaseDetailOut, 409: ErrorOut, **ERRORS},
)
def open_village_rectification(
    request: SignedInRequest, slug: str, body: OpenVillageItemIn
) -> Status[CaseDetail]:
    """Open a rectification item about a village itself (a road, a water works, a clinic): the
    problem, measure, responsible unit and person, deadline and, if any, department."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    village = access_area_by_code(request.user, project, body.village)
    case = rectification_open_for_village(
        project=project,
        village=village,
        actor=request.user,
        problem=body.problem,
        assignment=_assignment(body),
    )
    detail = case_detail(access_case_by_id(request.user, project, case.pk), actor=request.user)
    return Status(201, detail)


def _assignment(body: AssignmentIn) -> Assignment:
    return Assignment(
        measure=body.measure,
        responsible_unit=body.responsible_unit,
        responsible_person=body.responsible_person,
        deadline=body.deadline,
        department=body.department,
    )
