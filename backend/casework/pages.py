"""The case pages: the queue of cases waiting for me, and one case with its timeline, objections,
documents and the waiting step's form. The village's notice pages are in views.py.

A refusal of the engine (a step not complete, the notice still up, a closed case) shows the
page again with the reason and the status of the refusal; someone who sees the case but does
not decide its step gets 403, and nothing happens.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.access import Actor
from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.casework.access import (
    access_case_by_id,
    require_case_decider,
    require_case_worker,
    require_deadline_granter,
)
from backend.casework.documents import case_document_add
from backend.casework.downloads import case_document_response
from backend.casework.errors import CaseClosed
from backend.casework.extensions import rectification_deadline_extend
from backend.casework.forms import (
    DocumentForm,
    ExtendForm,
    ObjectionForm,
    QueueFilterForm,
    ResolveForm,
    StepForm,
)
from backend.casework.kinds import StepSpec, step_spec
from backend.casework.models import Case, CaseState
from backend.casework.objections import notice_objection_record, notice_objection_resolve
from backend.casework.queue import waiting_queue
from backend.casework.selectors import case_document, case_objection
from backend.casework.services import case_step_decide, case_step_record
from backend.casework.timeline import CaseView, case_view
from backend.core.errors import Conflict, DomainError, InvalidInput
from backend.core.requests import client_ip
from backend.projects.models import Project, Role
from backend.web.pages import project_page
from backend.web.paging import CappedPaginator

PAGE_SIZE = 50
QUEUE_CAP = 10_000


@require_GET
@project_page(role=Role.SUPERVISOR)
def queue(request: SignedInRequest, project: Project) -> HttpResponse:
    """The open cases whose step I decide, and those overdue one level below: overdue first."""
    filters = QueueFilterForm(request.GET, actor=request.user, project=project)
    valid = filters.is_valid()
    cases = waiting_queue(
        actor=request.user,
        project=project,
        today=timezone.localdate(),
        kind=filters.cleaned_data.get("kind", "") if valid else "",
        village=filters.cleaned_data.get("village") if valid else None,
    )
    page = CappedPaginator(cases if valid else cases.none(), PAGE_SIZE, cap=QUEUE_CAP).get_page(
        request.GET.get("page")
    )
    other_pages = request.GET.copy()
    other_pages.pop("page", None)
    context = {
        "project": project,
        "filters": filters,
        "page": page,
        "query": other_pages.urlencode(),
    }
    return render(request, "casework/queue.html", context)


@require_GET
@project_page(role=Role.SUPERVISOR)
def case_page(request: SignedInRequest, project: Project, case_id: int) -> HttpResponse:
    """The case; each look is in the access log (its reasons and objections are people's words
    about a household)."""
    case = access_case_by_id(request.user, project, case_id)
    if case.household is not None:  # a village's own rectification item names no household
        access_log_record(
            user=request.user,
            project_id=project.pk,
            kind=AccessKind.VIEW_HOUSEHOLD,
            object_type="household",
            object_ids=[case.household.uuid],
            ip=client_ip(request),
            detail=f"case {case.pk}",
        )
    return _case_response(request, project, case)


CaseAction = Callable[..., HttpResponse]


def case_action(
    require: Callable[[Actor, Case], None],
) -> Callable[[CaseAction], Callable[..., HttpResponseBase]]:
    """A POST on one case: the case the reader sees, open, and theirs to act on (`require`);
    a refusal of the engine shows the case again with why, in the refusal's status."""

    def decorate(view: CaseAction) -> Callable[..., HttpResponseBase]:
        def on_case(
            request: SignedInRequest, project: Project, /, case_id: int, **kwargs: Any
        ) -> HttpResponse:
            case = access_case_by_id(request.user, project, case_id)
            try:
                if case.state != CaseState.OPEN:
                    raise CaseClosed(_("The case is closed."))
                require(request.user, case)
                return view(request, project, case, **kwargs)
            except (Conflict, InvalidInput) as exc:
                return _case_response(request, project, case, error=exc, status=exc.status)

        page = project_page(role=Role.SUPERVISOR)(on_case)
        return require_POST(wraps(view)(page))

    return decorate


@case_action(require_case_decider)
def decide(request: SignedInRequest, project: Project, case: Case) -> HttpResponse:
    """Approve, return or reject the waiting step, saving its record with the decision."""
    form = StepForm(request.POST, spec=_waiting(case), record={})
    if not form.is_valid() or not form.cleaned_data["decision"]:
        return _invalid(request, project, case, _("Choose a decision."), step_form=form)
    return _attempt(
        request,
        project,
        case,
        lambda: case_step_decide(
            case=case,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            values=form.values(),
        ),
        _("Decision recorded."),
        step_form=form,
    )


@case_action(require_case_decider)
def record(request: SignedInRequest, project: Project, case: Case) -> HttpResponse:
    """Save the waiting step's record without deciding it."""
    form = StepForm(request.POST, spec=_waiting(case), record={})
    if not form.is_valid():
        return _invalid(request, project, case, _("Check the values marked below."), step_form=form)
    return _attempt(
        request,
        project,
        case,
        lambda: case_step_record(case=case, actor=request.user, values=form.values()),
        _("The step's record is saved."),
        step_form=form,
    )


@case_action(require_case_decider)
def document_add(request: SignedInRequest, project: Project, case: Case) -> HttpResponse:
    """Add a document or a signature to the waiting step."""
    form = DocumentForm(request.POST, request.FILES, spec=_waiting(case))
    if not form.is_valid():
        return _invalid(
            request, project, case, _("Choose a file and its kind."), document_form=form
        )
    upload = form.cleaned_data["file"]
    return _attempt(
        request,
        project,
        case,
        lambda: case_document_add(
            case=case,
            actor=request.user,
            role=form.cleaned_data["role"],
            file=upload,
            name=upload.name or "",
            content_type=upload.content_type or "",
            signer_role=form.cleaned_data["signer_role"],
            signer_name=form.cleaned_data["signer_name"],
        ),
        _("Document added."),
        document_form=form,
    )


@case_action(require_deadline_granter)
def extend(request: SignedInRequest, project: Project, case: Case) -> HttpResponse:
    """Give a rectification item more time, saying why."""
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _invalid(
            request, project, case, _("Give the new deadline and the reason."), extend_form=form
        )
    return _attempt(
        request,
        project,
        case,
        lambda: rectification_deadline_extend(case=case, actor=request.user, **form.cleaned_data),
        _("The deadline is extended."),
        extend_form=form,
    )


@require_GET
@project_page(role=Role.SUPERVISOR)
def document_download(
    request: SignedInRequest, project: Project, case_id: int, document_id: int
) -> HttpResponseBase:
    """The document's file; each download is in the access log."""
    case = access_case_by_id(request.user, project, case_id)
    return case_document_response(request, request.user, case_document(case, document_id))


@case_action(require_case_worker)
def objection_add(request: SignedInRequest, project: Project, case: Case) -> HttpResponse:
    """Record an objection to the case's public notice."""
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, project, case, _("Check the objection."), objection_form=form)
    return _attempt(
        request,
        project,
        case,
        lambda: notice_objection_record(case=case, actor=request.user, **form.cleaned_data),
        _("Objection recorded."),
        objection_form=form,
    )


@case_action(require_case_worker)
def objection_resolve(
    request: SignedInRequest, project: Project, case: Case, objection_id: int
) -> HttpResponse:
    """Mark an objection upheld or dismissed, with how it was handled."""
    objection = case_objection(case, objection_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, project, case, _("Choose an outcome and say how it was handled."))
    return _attempt(
        request,
        project,
        case,
        lambda: notice_objection_resolve(
            objection=objection,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        ),
        _("Objection handled."),
    )


def _waiting(case: Case) -> StepSpec:
    """The step the (open) case waits at."""
    return step_spec(case.kind, case.step)


def _attempt(
    request: SignedInRequest,
    project: Project,
    case: Case,
    action: Callable[[], object],
    done: str,
    **forms: Any,
) -> HttpResponse:
    """Run the action; on a refusal show the case again with why, in the refusal's status."""
    try:
        action()
    except (Conflict, InvalidInput) as exc:
        return _case_response(request, project, case, error=exc, status=exc.status, **forms)
    messages.success(request, done)
    return HttpResponseRedirect(case_url(project, case))


def _invalid(
    request: SignedInRequest, project: Project, case: Case, message: str, **forms: Any
) -> HttpResponse:
    return _case_response(request, project, case, error=InvalidInput(message), status=400, **forms)


def case_url(project: Project, case: Case) -> str:
    return reverse("casework:case", args=[project.slug, case.pk])


def _case_response(
    request: SignedInRequest,
    project: Project,
    case: Case,
    *,
    error: DomainError | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    # The case as it is now: a refused write changed nothing, an earlier one may have.
    case = access_case_by_id(request.user, project, case.pk)
    view = case_view(case, actor=request.user)
    if view.detail.department_checks and case.household is not None:
        # What the departments found is on the page: a look at their records, each time shown.
        access_log_record(
            user=request.user,
            project_id=project.pk,
            kind=AccessKind.VIEW_DEPARTMENT,
            object_type="household",
            object_ids=[case.household.uuid],
            ip=client_ip(request),
            detail=f"case {case.pk}",
        )
    return render(
        request, "casework/case.html", _context(project, view, error, forms), status=status
    )


def _context(
    project: Project, view: CaseView, error: DomainError | None, forms: dict[str, Any]
) -> dict[str, Any]:
    spec = view.waiting
    decides = view.detail.may_decide and spec is not None
    return {
        "project": project,
        "case": view.detail.case,
        "view": view,
        "overdue": view.detail.case.is_overdue(timezone.localdate()),
        "error": error,
        "step_form": forms.get("step_form")
        or (StepForm(spec=spec, record=view.record) if decides and spec else None),
        "document_form": forms.get("document_form")
        or (DocumentForm(spec=spec) if decides and spec else None),
        "objection_form": forms.get("objection_form")
        or (ObjectionForm() if view.may_handle else None),
        "resolve_form": ResolveForm() if view.may_handle else None,
        "extend_form": forms.get("extend_form") or (ExtendForm() if view.may_extend else None),
    }
