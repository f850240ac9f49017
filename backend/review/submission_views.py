"""The submission page: answers, photos, map, flags, review decisions and the comment thread."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.errors import DomainError
from backend.core.requests import client_ip
from backend.households.submission_access import access_submission
from backend.pipeline.intake import submission_decide
from backend.projects.models import Project, Role
from backend.review.forms import CommentForm, DecisionForm
from backend.review.services import review_comment_add
from backend.review.submission_page import submission_page_context
from backend.web.pages import project_page


@require_http_methods(["GET", "POST"])
@project_page(role=Role.SUPERVISOR)
def submission_detail(
    request: SignedInRequest, project: Project, submission_id: int
) -> HttpResponse:
    """The page; a POST with `reveal` shows the personal data, and logs that it was shown."""
    submission = access_submission(request.user, project, submission_id)
    reveal = request.method == "POST" and "reveal" in request.POST
    kind = AccessKind.REVEAL if reveal else AccessKind.VIEW_SUBMISSION
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=kind,
        object_type="submission",
        object_ids=[submission.pk],
        ip=client_ip(request),
    )
    context = submission_page_context(
        actor=request.user,
        project=project,
        submission=submission,
        language=get_language() or "en",
        reveal=reveal,
    )
    context.update(
        project=project,
        revealed=reveal,
        decision_form=DecisionForm(),
        comment_form=CommentForm(),
    )
    return render(request, "review/submission.html", context)


@require_POST
@project_page(role=Role.SUPERVISOR)
def decide(request: SignedInRequest, project: Project, submission_id: int) -> HttpResponse:
    submission = access_submission(request.user, project, submission_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            submission_decide(
                submission=submission,
                actor=request.user,
                state=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Decision recorded."))
        except DomainError as exc:
            messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("review:submission", args=[project.slug, submission.pk]))


@require_POST
@project_page(role=Role.SUPERVISOR)
def comment(request: SignedInRequest, project: Project, submission_id: int) -> HttpResponse:
    submission = access_submission(request.user, project, submission_id)
    try:
        review_comment_add(
            submission=submission, actor=request.user, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    url = reverse("review:submission", args=[project.slug, submission.pk])
    return HttpResponseRedirect(f"{url}#thread")
