"""JSON API for renovations: open one, record its stages in their order, the move-in, the
subsidy's payment, the county's re-inspection sample; one renovation with its before/after
evidence. The appraisal, the plan and both acceptances are decided as any case's step
(`POST …/cases/{id}/decide`, backend/casework/api.py)."""

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.casework.access import access_case_by_id
from backend.casework.kinds import step_spec
from backend.casework.models import Case, Kind
from backend.casework.renovation import (
    Payment,
    renovation_move_in,
    renovation_open,
    renovation_pay,
    renovation_stage_record,
)
from backend.casework.renovation_sample import reinspection_sample_draw
from backend.casework.renovation_schemas import (
    MoveInIn,
    OpenRenovationIn,
    PaymentIn,
    RenovationOut,
    SampleIn,
    SampleOut,
    SpotOut,
    StageIn,
)
from backend.casework.renovation_selectors import renovation_spots, renovation_view
from backend.core.errors import NotFound
from backend.core.schemas import ERRORS, ErrorOut
from backend.households.access import access_household_by_uuid
from backend.projects.models import Project, Role

router = Router(tags=["renovations"])


def _renovation(request: SignedInRequest, project: Project, case_id: int) -> Case:
    """A renovation the caller sees; NotFound for any other case alike."""
    case = access_case_by_id(request.user, project, case_id)
    if case.kind != Kind.RENOVATION:
        raise NotFound(_("Renovation not found."))
    return case


def _out(request: SignedInRequest, project: Project, case_id: int) -> RenovationOut:
    case = _renovation(request, project, case_id)
    view = renovation_view(case, timezone.localdate())
    renovation = view.renovation
    return RenovationOut(
        case=case.pk,
        household=str(case.household.uuid) if case.household else "",
        household_label=case.subject_label,
        village_name=case.place.name,
        state=case.state,
        state_label=str(case.get_state_display()),
        step=case.step,
        step_label=str(step_spec(case.kind, case.step).label) if case.step else "",
        due_on=case.due_on,
        grade=renovation.grade,
        grade_label=view.grade_label,
        method=renovation.method,
        method_label=view.method_label,
        priority_groups=list(renovation.priority_groups),
        priority_labels=view.priority_labels,
        move_in_by=renovation.move_in_by,
        moved_in_on=renovation.moved_in_on,
        move_in_overdue=view.move_in_overdue,
        move_in_note=view.move_in_note,
        subsidy_amount=renovation.subsidy_amount,
        paid_on=renovation.paid_on,
        reinspector=view.reinspector,
        spots=[SpotOut(**asdict(spot)) for spot in renovation_spots(case)],
    )


@router.post(
    "/projects/{slug}/renovations",
    response={200: RenovationOut, 201: RenovationOut, 409: ErrorOut, **ERRORS},
)
def open_renovation(
    request: SignedInRequest, slug: str, body: OpenRenovationIn
) -> Status[RenovationOut]:
    """Open a household's renovation at its appraisal (201), or give back its open one (200):
    the village, township and county offices of the household's area."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, body.household)
    case, opened = renovation_open(household=household, actor=request.user, reason=body.reason)
    return Status(201 if opened else 200, _out(request, project, case.pk))


@router.get("/projects/{slug}/renovations/{case_id}", response={200: RenovationOut, **ERRORS})
def get_renovation(request: SignedInRequest, slug: str, case_id: int) -> RenovationOut:
    """One renovation: its step, grade, plan, priority groups, move-in (and whether its
    deadline passed), subsidy, re-inspector, and its photos spot by spot with their checks."""
    project = access_project_by_slug(request.user, slug, role=Role.COLLECTOR)
    return _out(request, project, case_id)


@router.post(
    "/projects/{slug}/renovations/{case_id}/stages/{stage}",
    response={200: RenovationOut, 409: ErrorOut, **ERRORS},
)
def record_renovation_stage(
    request: SignedInRequest, slug: str, case_id: int, stage: str, body: StageIn
) -> RenovationOut:
    """Record and approve a stage (`before`, `during`, `after`) of the renovation; 409 when the
    renovation waits at another step (the stages go in their order)."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = _renovation(request, project, case_id)
    renovation_stage_record(case=case, actor=request.user, stage=stage, values=body.record)
    return _out(request, project, case_id)


@router.post(
    "/projects/{slug}/renovations/{case_id}/move-in",
    response={200: RenovationOut, 409: ErrorOut, **ERRORS},
)
def record_move_in(
    request: SignedInRequest, slug: str, case_id: int, body: MoveInIn
) -> RenovationOut:
    """The day the household moved into its renovated house (once the works are done)."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = _renovation(request, project, case_id)
    renovation_move_in(case=case, actor=request.user, moved_in_on=body.moved_in_on)
    return _out(request, project, case_id)


@router.post(
    "/projects/{slug}/renovations/{case_id}/payment",
    response={200: RenovationOut, 409: ErrorOut, **ERRORS},
)
def record_payment(
    request: SignedInRequest, slug: str, case_id: int, body: PaymentIn
) -> RenovationOut:
    """The subsidy paid to the household: the county, after its acceptance (409 before)."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    case = _renovation(request, project, case_id)
    payment = Payment(amount=body.amount, paid_on=body.paid_on)
    renovation_pay(case=case, actor=request.user, payment=payment)
    return _out(request, project, case_id)


@router.post("/projects/{slug}/renovation-samples", response={201: SampleOut, **ERRORS})
def draw_reinspection_sample(
    request: SignedInRequest,
    slug: str,
    params: Query[SampleIn],
) -> Status[SampleOut]:
    """Draw the county's re-inspection sample: the project's share of the accepted renovations
    not sampled yet, at random with the recorded seed, each house put on the phone list of a
    field worker who is not its helper."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    drawn = reinspection_sample_draw(project=project, actor=request.user, seed=params.seed)
    return Status(201, SampleOut.from_drawn(drawn))
