"""A village's notice pages: the cases at its notice step, approved together, and the public-notice
list to print or download as a PDF (name, village, category and reason only: it goes on the
village's board)."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.requests import SignedInRequest
from backend.areas.models import Area
from backend.casework.access import access_case_village
from backend.casework.forms import BulkApproveForm
from backend.casework.notice_pdf import NoticeSheet, notice_pdf
from backend.casework.villages import NoticeLine, notice_cases_approve, notice_lines
from backend.core.display import joined
from backend.projects.models import Project, Role
from backend.web.pages import project_page


@require_GET
@project_page(role=Role.SUPERVISOR)
def village_page(request: SignedInRequest, project: Project, village: str) -> HttpResponse:
    """The village's cases at their notice step; those whose step I decide, to approve together."""
    area = access_case_village(request.user, project, village)
    lines = notice_lines(actor=request.user, project=project, village=area)
    context = {
        "project": project,
        "village": area,
        "lines": lines,
        "to_decide": [line for line in lines if line.may_decide],
        "form": BulkApproveForm(),
        "today": timezone.localdate(),
    }
    return render(request, "casework/village.html", context)


@require_POST
@project_page(role=Role.SUPERVISOR)
def village_approve(request: SignedInRequest, project: Project, village: str) -> HttpResponse:
    """Approve the ticked cases' notice steps, each on its own; report each one refused."""
    area = access_case_village(request.user, project, village)
    form = BulkApproveForm(request.POST)
    ids = request.POST.getlist("cases")
    back = HttpResponseRedirect(reverse("casework:village", args=[project.slug, area.code]))
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick at least one case."))
        return back
    outcome = notice_cases_approve(
        actor=request.user,
        project=project,
        village=area,
        case_ids=ids,
        comment=form.cleaned_data["comment"],
    )
    if outcome.approved:
        messages.success(request, _("Approved: %(names)s.") % {"names": joined(outcome.approved)})
    for name, why in outcome.refused:
        messages.error(request, _("Not approved: %(name)s. %(why)s") % {"name": name, "why": why})
    return back


@require_GET
@project_page(role=Role.SUPERVISOR)
def notice_print(request: SignedInRequest, project: Project, village: str) -> HttpResponse:
    """The public-notice list as a page to print."""
    area = access_case_village(request.user, project, village)
    lines = notice_lines(actor=request.user, project=project, village=area)
    context = {
        "project": project,
        "village": area,
        "lines": lines,
        "heading": _heading(area, lines),
    }
    return render(request, "casework/notice.html", context)


@require_GET
@project_page(role=Role.SUPERVISOR)
def notice_download(request: SignedInRequest, project: Project, village: str) -> HttpResponse:
    """The public-notice list as a PDF."""
    area = access_case_village(request.user, project, village)
    lines = notice_lines(actor=request.user, project=project, village=area)
    heading = _heading(area, lines)
    sheet = NoticeSheet(
        title=heading.title,
        lines=heading.lines,
        headings=[_("Name"), _("Village"), _("Category"), _("Reason"), _("Notice period")],
        rows=[
            [line.name, line.village, line.category, line.reason, _period(line)] for line in lines
        ],
        empty=_("No household is on the notice."),
        footer=heading.footer,
    )
    response = HttpResponse(notice_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notice-{area.pk}.pdf"'
    return response


@dataclass(frozen=True)
class Heading:
    title: str
    lines: list[str]
    footer: str


def _heading(area: Area, lines: list[NoticeLine]) -> Heading:
    """The notice's title, the lines under it (where, the notice's dates) and its closing words."""
    where = f"{area.parent.name} · {area.name}" if area.parent else area.name
    periods = {_period(line) for line in lines if line.starts_on}
    dated = (
        [_("Notice period: %(period)s") % {"period": periods.pop()}] if len(periods) == 1 else []
    )
    return Heading(
        title=_("Public notice: %(village)s") % {"village": area.name},
        lines=[where, *dated, _("Listed on %(day)s") % {"day": _day(timezone.localdate())}],
        footer=_(
            "Anyone who objects to a household on this list may tell the village committee, the "
            "township or the county during the notice period."
        ),
    )


def _period(line: NoticeLine) -> str:
    if line.starts_on is None or line.ends_on is None:
        return _("being prepared")
    return _("%(start)s to %(end)s") % {"start": _day(line.starts_on), "end": _day(line.ends_on)}


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")
