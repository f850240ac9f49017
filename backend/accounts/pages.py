"""Admin pages for people and phones: members added, changed and removed within the admin's
area, device QR codes, revoking."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.access import access_member, access_member_device_token, members_managed_by
from backend.accounts.forms import MemberAddForm, NewMemberForm, RoleAreasForm
from backend.accounts.members import (
    membership_add,
    membership_add_new_user,
    membership_change,
    membership_remove,
)
from backend.accounts.provisioning import phone_setup
from backend.accounts.selectors import device_tokens_of, members_list
from backend.accounts.services import device_token_issue, device_token_revoke
from backend.core.errors import InvalidInput, NotFound, PermissionDenied
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
    """The people the admin manages with their role, areas and connected phones, and the forms
    that add someone."""
    return _render_people(request, project)


def _render_people(
    request: HttpRequest,
    project: Project,
    *,
    add_form: MemberAddForm | None = None,
    new_form: NewMemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = members_managed_by(request.user, project, list(members_list(project=project)))
    context = {
        "project": project,
        "members": members,
        "add_form": add_form or MemberAddForm(actor=request.user, project=project, prefix="add"),
        "new_form": new_form or NewMemberForm(actor=request.user, project=project, prefix="new"),
    }
    return render(request, "accounts/people.html", context, status=status)


@require_POST
@project_page(role=Role.ADMIN)
def member_add(request: HttpRequest, project: Project) -> HttpResponse:
    """Give an existing user a role in the project."""
    form = MemberAddForm(request.POST, actor=request.user, project=project, prefix="add")
    status = _written(
        form,
        lambda data: membership_add(
            actor=request.user,
            project=project,
            username=data["username"],
            role=data["role"],
            areas=list(data["areas"]),
        ),
    )
    if status:
        return _render_people(request, project, add_form=form, status=status)
    messages.success(
        request, _("%(user)s is a member now.") % {"user": form.cleaned_data["username"]}
    )
    return HttpResponseRedirect(reverse("accounts:people", args=[project.slug]))


@require_POST
@project_page(role=Role.ADMIN)
def member_new(request: HttpRequest, project: Project) -> HttpResponse:
    """Create a user with a first password and give them a role in the project."""
    form = NewMemberForm(request.POST, actor=request.user, project=project, prefix="new")
    status = _written(
        form,
        lambda data: membership_add_new_user(
            actor=request.user,
            project=project,
            username=data["username"],
            full_name=data["full_name"],
            password=data["password"],
            role=data["role"],
            areas=list(data["areas"]),
        ),
    )
    if status:
        return _render_people(request, project, new_form=form, status=status)
    messages.success(
        request,
        _("%(user)s can sign in now, and must choose a new password first.")
        % {"user": form.cleaned_data["username"]},
    )
    return HttpResponseRedirect(reverse("accounts:people", args=[project.slug]))


def _written(form: forms.Form, write: Callable[[dict[str, Any]], object]) -> int:
    """Run the write if the form is valid; 0 when done, else the status of the refusal, with
    the service's reason on the form (nothing was written)."""
    if not form.is_valid():
        return 400
    try:
        write(form.cleaned_data)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return 403
    except (InvalidInput, NotFound) as exc:
        form.add_error(None, str(exc))
        return 400
    return 0


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
    change_form: RoleAreasForm | None = None,
) -> HttpResponse:
    areas = membership.areas.order_by("code")
    initial = {"role": membership.role, "areas": list(areas)}
    context = {
        "project": project,
        "membership": membership,
        "member": membership.user,
        "areas": areas,
        "devices": device_tokens_of(membership=membership),
        "device_form": form,
        "change_form": change_form
        or RoleAreasForm(actor=request.user, project=project, initial=initial),
        "is_me": membership.user_id == request.user.pk,
    }
    return render(request, "accounts/member.html", context, status=status)


@require_POST
@project_page(role=Role.ADMIN)
def member_change(request: HttpRequest, project: Project, user_id: int) -> HttpResponse:
    """Change a member's role and areas."""
    membership = access_member(request.user, project, user_id)
    form = RoleAreasForm(request.POST, actor=request.user, project=project)
    status = _written(
        form,
        lambda data: membership_change(
            actor=request.user,
            project=project,
            user_id=membership.user_id,
            role=data["role"],
            areas=list(data["areas"]),
        ),
    )
    if status:
        return _render_member(
            request, project, membership, DeviceForm(), status=status, change_form=form
        )
    messages.success(request, _("Role and areas saved."))
    return HttpResponseRedirect(reverse("accounts:member", args=[project.slug, membership.user_id]))


@require_POST
@project_page(role=Role.ADMIN)
def member_remove(request: HttpRequest, project: Project, user_id: int) -> HttpResponse:
    """Take a member out of the project (their phones for it stop connecting)."""
    membership = access_member(request.user, project, user_id)
    membership_remove(actor=request.user, project=project, user_id=membership.user_id)
    messages.success(
        request,
        _("%(user)s is no longer a member. Their submissions and decisions are kept.")
        % {"user": membership.user},
    )
    return HttpResponseRedirect(reverse("accounts:people", args=[project.slug]))


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
