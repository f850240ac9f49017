"""The review queue and its bulk decisions (the submission page is in submission_views.py)."""

from typing import cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.requests import SignedInRequest
from backend.core.errors import DomainError
from backend.households.submission_access import access_submission
from backend.pipeline.intake import submission_decide
from backend.projects.models import Project, Role
from backend.review.forms import DecisionForm, QueueFilterForm
from backend.review.selectors import review_queue, with_row_details
from backend.review.submissions import SubmissionQuery
from backend.submissions.models import Submission
from backend.web.pages import project_page
from backend.web.paging import CappedPaginator

PAGE_SIZE = 50
# The queue counts and pages at most this many rows (200 pages); beyond, narrow the filters.
QUEUE_CAP = 10_000
MAX_BULK = PAGE_SIZE


@require_GET
@project_page(role=Role.SUPERVISOR)
def queue(request: HttpRequest, project: Project) -> HttpResponse:
    """Submissions to review, riskiest first, with filters and bulk decisions."""
    filters = QueueFilterForm(request.GET, actor=request.user, project=project)
    query = filters.query() if filters.is_valid() else SubmissionQuery()
    submissions = review_queue(actor=request.user, project=project, query=query)
    if not filters.is_valid():
        submissions = submissions.none()
    paginator = CappedPaginator(submissions, PAGE_SIZE, cap=QUEUE_CAP)
    page = paginator.get_page(request.GET.get("page"))
    # A page of a queryset holds a sliced queryset; the stubs type it as any sequence.
    page.object_list = with_row_details(cast("QuerySet[Submission]", page.object_list))
    other_pages = request.GET.copy()
    other_pages.pop("page", None)
    context = {
        "project": project,
        "filters": filters,
        "page": page,
        "query": other_pages.urlencode(),
        "decision_form": DecisionForm(),
    }
    return render(request, "review/queue.html", context)


@require_POST
@project_page(role=Role.SUPERVISOR)
def bulk_decide(request: SignedInRequest, project: Project) -> HttpResponse:
    """Apply one decision with one comment to the ticked submissions."""
    back = _back_to_queue(request, project)
    form = DecisionForm(request.POST)
    ids = request.POST.getlist("ids")[:MAX_BULK]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick at least one submission and choose a decision."))
        return HttpResponseRedirect(back)
    done = 0
    try:
        for submission_id in ids:
            submission = access_submission(request.user, project, submission_id)
            submission_decide(
                submission=submission,
                actor=request.user,
                state=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
            done += 1
    except DomainError as exc:
        messages.error(request, str(exc))
    if done:
        messages.success(request, _("Decision recorded for %(n)d submission(s).") % {"n": done})
    return HttpResponseRedirect(back)


def _back_to_queue(request: HttpRequest, project: Project) -> str:
    target = str(request.POST.get("next", ""))
    queue_url = reverse("review:queue", args=[project.slug])
    if target.startswith(queue_url) and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return queue_url
