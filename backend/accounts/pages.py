"""Admin pages for people and phones: members with roles and areas, device QR codes, revoking."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.access import access_member, access_member_device_token, members_managed_by
from backend.accounts.provisioning import phone_setup
from backend.accounts.selectors import device_tokens_of, members_list
from backend.accounts.services import device_token_issue, device_token_revoke
from backend.projects.models import Membership, Project, Role
from backend.web.pages import project_page


class DeviceForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        required=False,
        label=gettext_lazy("Which phone"),
        help_text=gettext_lazy("For example: Li's Redmi, village office tablet."),
    )


@require_GET
@project_page(role=Role.ADMIN)
def people_page(request: HttpRequest, project: Project) -> HttpResponse:
    """The people the admin manages with their role, areas and connected phones."""
    members = members_managed_by(request.user, project, list(members_list(project=project)))
    return render(request, "accounts/people.html", {"project": project, "members": members})


@require_GET
@project_page(role=Role.ADMIN)
def member_page(request: HttpRequest, project: Project, user_id: int) -> HttpResponse:
    membership = access_member(request.user, project, user_id)
    return _render_member(request, project, membership, DeviceForm())


def _render_member(
    request: HttpRequest,
    project: Project,
    membership: Membership,
    form: DeviceForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "project": project,
        "membership": membership,
        "member": membership.user,
        "areas": membership.areas.order_by("code"),
        "devices": device_tokens_of(membership=membership),
        "device_form": form,
    }
    return render(request, "accounts/member.html", context, status=status)


@require_POST
@project_page(role=Role.ADMIN)
def device_issue(request: HttpRequest, project: Project, user_id: int) -> HttpResponse:
    """Issue a token and show its QR code once: the secret is stored only as a hash."""
    membership = access_member(request.user, project, user_id)
    form = DeviceForm(request.POST)
    if not form.is_valid():
        return _render_member(request, project, membership, form, status=400)
    token, secret = device_token_issue(
        user=membership.user, project=project, label=form.cleaned_data["label"]
    )
    context = {
        "project": project,
        "member": membership.user,
        "token": token,
        "setup": phone_setup(secret=secret, user=membership.user, project=project),
    }
    response = render(request, "accounts/device_qr.html", context)
    # The page carries a working secret: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@project_page(role=Role.ADMIN)
def device_revoke(
    request: HttpRequest, project: Project, user_id: int, token_id: int
) -> HttpResponse:
    membership = access_member(request.user, project, user_id)
    token = access_member_device_token(request.user, membership, token_id)
    device_token_revoke(token=token)
    messages.success(request, _("The phone can no longer connect. Its submissions are kept."))
    return HttpResponseRedirect(reverse("accounts:member", args=[project.slug, membership.user_id]))
