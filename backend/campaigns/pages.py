"""The campaign pages: the list with a plan form for the county's admins, and one campaign with
its time nodes, its progress in the reader's areas, the unvisited households and the sign-offs."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.accounts.requests import SignedInRequest
from backend.campaigns.access import access_campaign_by_id, may_run_campaigns
from backend.campaigns.errors import CampaignRefused
from backend.campaigns.forms import PlanForm, SignOffForm
from backend.campaigns.models import Campaign
from backend.campaigns.progress import campaign_progress
from backend.campaigns.selectors import (
    campaign_nodes,
    campaign_sign_offs,
    campaign_signable,
    campaigns_listed,
    signing_area,
)
from backend.campaigns.services import campaign_plan, campaign_sign_off, campaign_start
from backend.core.errors import DomainError
from backend.projects.models import Project, Role
from backend.web.pages import project_page


@require_http_methods(["GET", "POST"])
@project_page(role=Role.SUPERVISOR)
def campaigns_page(request: SignedInRequest, project: Project) -> HttpResponse:
    runs = may_run_campaigns(request.user, project)
    form = PlanForm(request.POST or None) if runs else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            campaign = campaign_plan(project=project, actor=request.user, plan=form.plan())
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(_url(project, campaign))
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form is None:
        status = 403
    context = {
        "project": project,
        "campaigns": campaigns_listed(request.user, project),
        "form": form,
    }
    return render(request, "campaigns/list.html", context, status=status)


@require_GET
@project_page(role=Role.SUPERVISOR)
def campaign_page(request: SignedInRequest, project: Project, campaign_id: int) -> HttpResponse:
    campaign = access_campaign_by_id(request.user, project, campaign_id)
    return _render(request, project, campaign, SignOffForm(), 200)


@require_POST
@project_page(role=Role.SUPERVISOR)
def campaign_start_page(
    request: SignedInRequest, project: Project, campaign_id: int
) -> HttpResponse:
    campaign = access_campaign_by_id(request.user, project, campaign_id)
    try:
        count = campaign_start(campaign=campaign, actor=request.user)
    except CampaignRefused as exc:
        messages.error(request, str(exc))
        return _render(request, project, campaign, SignOffForm(), exc.status)
    messages.success(request, _("The campaign started with %(n)d households.") % {"n": count})
    return HttpResponseRedirect(_url(project, campaign))


@require_POST
@project_page(role=Role.SUPERVISOR)
def campaign_sign_page(
    request: SignedInRequest, project: Project, campaign_id: int
) -> HttpResponse:
    campaign = access_campaign_by_id(request.user, project, campaign_id)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        return _render(request, project, campaign, form, 400)
    area = signing_area(request.user, campaign, form.cleaned_data["area"])
    try:
        campaign_sign_off(
            campaign=campaign,
            actor=request.user,
            area=area,
            signer_name=form.cleaned_data["signer_name"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return _render(request, project, campaign, form, exc.status)
    messages.success(request, _("Signed for %(area)s.") % {"area": area.name})
    return HttpResponseRedirect(_url(project, campaign))


def _render(
    request: SignedInRequest, project: Project, campaign: Campaign, form: SignOffForm, status: int
) -> HttpResponse:
    context = {
        "project": project,
        "campaign": campaign,
        "nodes": campaign_nodes(campaign),
        "progress": campaign_progress(campaign, request.user),
        "sign_offs": campaign_sign_offs(campaign),
        "signable": campaign_signable(request.user, campaign),
        "sign_form": form,
        "runs": may_run_campaigns(request.user, project),
    }
    return render(request, "campaigns/campaign.html", context, status=status)


def _url(project: Project, campaign: Campaign) -> str:
    return reverse("campaigns:campaign", args=[project.slug, campaign.pk])
