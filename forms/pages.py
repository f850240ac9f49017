"""Admin pages for forms: publish an XLSForm (errors by sheet and row), states, versions, media."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.access import require_whole_project
from backend.accounts.requests import SignedInRequest
from backend.core.errors import DomainError
from backend.households.web_forms import web_form_preview
from backend.projects.models import Project, Role
from backend.web.pages import project_page
from backend.web.webform_views import render_web_form, web_form_policy
from forms.access import access_form_by_xml_id
from forms.forms import AttachmentsForm, PublishForm, StateForm
from forms.models import Form
from forms.problems import parse_problems
from forms.selectors import form_list, form_versions
from forms.services import Upload, form_attach, form_check, form_publish, form_set_state
from forms.uploads import read_upload

VERSIONS_SHOWN = 50


def _refusal(exc: DomainError) -> dict[str, Any]:
    """The page's error box: the message, and pyxform's details located by sheet and row."""
    return {"error": str(exc), "problems": parse_problems(exc.details)}


@require_http_methods(["GET", "POST"])
@project_page(role=Role.ADMIN)
def forms_page(request: SignedInRequest, project: Project) -> HttpResponse:
    """The project's forms, and the upload that checks or publishes a new one or a new version."""
    upload = PublishForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"project": project, "upload": upload}
    if request.method == "POST" and upload.is_valid():
        try:
            return _check_or_publish(request, project, upload, context)
        except DomainError as exc:
            context.update(_refusal(exc))
            status = exc.status
    else:
        status = 400 if request.method == "POST" else 200
    context["forms"] = form_list(project=project)
    return render(request, "forms/forms.html", context, status=status)


def _check_or_publish(
    request: SignedInRequest, project: Project, upload: PublishForm, context: dict[str, Any]
) -> HttpResponse:
    action = request.POST.get("action")
    if action != "check":
        require_whole_project(request.user, project)
    source = read_upload(upload.cleaned_data["file"])
    if action == "check":
        result = form_check(project=project, source=source)
        context.update(check=result, warnings=parse_problems(result.warnings))
        context["forms"] = form_list(project=project)
        return render(request, "forms/forms.html", context)
    attachments = [read_upload(f) for f in upload.cleaned_data["attachments"]]
    published = form_publish(
        project=project, source=source, published_by=request.user, attachments=attachments
    )
    version = published.version
    if published.created:
        messages.success(
            request, _("Version %(version)s published.") % {"version": version.version or "-"}
        )
    else:
        messages.info(request, _("This version was already published; nothing changed."))
    return HttpResponseRedirect(_detail_url(project, version.form))


@require_POST
@web_form_policy
@project_page(role=Role.ADMIN)
def form_upload_preview(request: SignedInRequest, project: Project) -> HttpResponse:
    """The forms page's "Preview": the uploaded form opened in the browser as it would be
    published; nothing is stored. A file that would not publish is refused as on that page."""
    upload = PublishForm(request.POST, request.FILES)
    context: dict[str, Any] = {"project": project, "upload": upload}
    status = 400
    if upload.is_valid():
        try:
            return _preview(request, project, read_upload(upload.cleaned_data["file"]))
        except DomainError as exc:
            context.update(_refusal(exc))
            status = exc.status
    context["forms"] = form_list(project=project)
    return render(request, "forms/forms.html", context, status=status)


def _preview(request: SignedInRequest, project: Project, source: Upload) -> HttpResponse:
    result = form_check(project=project, source=source)
    web_form = web_form_preview(
        actor=request.user, project=project, xform=result.xform, title=result.title
    )
    return render_web_form(
        request,
        web_form,
        heading=_("Preview: %(form)s") % {"form": result.title},
        intro=_("Try the form as a phone would show it. Nothing was published or saved."),
        back_url=reverse("forms:list", args=[project.slug]),
    )


def _detail_url(project: Project, form: Form) -> str:
    return reverse("forms:detail", args=[project.slug, form.xml_form_id])


@require_http_methods(["GET"])
@project_page(role=Role.ADMIN)
def form_detail(request: HttpRequest, project: Project, form_id: str) -> HttpResponse:
    """One form: its state, current version's warnings and attachments, and every version."""
    form = access_form_by_xml_id(request.user, project.slug, form_id, role=Role.ADMIN)
    return _render_detail(request, project, form)


def _render_detail(
    request: HttpRequest, project: Project, form: Form, status: int = 200, **extra: Any
) -> HttpResponse:
    current = form.current_version
    attachments = list(current.attachments.order_by("name")) if current else []
    context = {
        "project": project,
        "form": form,
        "current": current,
        "warnings": parse_problems(current.warnings if current else []),
        "attachments": attachments,
        "missing": [a.name for a in attachments if not a.is_present],
        "versions": form_versions(form=form).select_related("published_by")[:VERSIONS_SHOWN],
        "state_form": StateForm(initial={"state": form.state}),
        "attach_form": extra.pop("attach_form", None) or AttachmentsForm(),
        **extra,
    }
    return render(request, "forms/form_detail.html", context, status=status)


@require_POST
@project_page(role=Role.ADMIN, whole_project=True)
def form_state(request: HttpRequest, project: Project, form_id: str) -> HttpResponse:
    form = access_form_by_xml_id(request.user, project.slug, form_id, role=Role.ADMIN)
    choice = StateForm(request.POST)
    if not choice.is_valid():
        return _render_detail(request, project, form, status=400, error=_("Choose a state."))
    form_set_state(form=form, state=choice.cleaned_data["state"])
    messages.success(
        request, _("The form is now: %(state)s.") % {"state": form.get_state_display()}
    )
    return HttpResponseRedirect(_detail_url(project, form))


@require_POST
@project_page(role=Role.ADMIN, whole_project=True)
def form_attachments(request: HttpRequest, project: Project, form_id: str) -> HttpResponse:
    """Upload media or CSV files the current version references."""
    form = access_form_by_xml_id(request.user, project.slug, form_id, role=Role.ADMIN)
    upload = AttachmentsForm(request.POST, request.FILES)
    if form.current_version is None or not upload.is_valid():
        return _render_detail(request, project, form, status=400, attach_form=upload)
    try:
        files = [read_upload(f) for f in upload.cleaned_data["files"]]
        attached = form_attach(version=form.current_version, uploads=files)
    except DomainError as exc:
        return _render_detail(request, project, form, status=exc.status, **_refusal(exc))
    messages.success(request, _("%(n)d file(s) uploaded.") % {"n": len(attached)})
    return HttpResponseRedirect(_detail_url(project, form))
