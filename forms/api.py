"""JSON API for forms: publish XLSForms, list forms and versions, upload media, change state."""

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.core.schemas import ERRORS, ErrorOut
from backend.projects.models import Role
from forms.access import access_form_by_xml_id
from forms.schemas import (
    AttachmentOut,
    FormOut,
    FormStateIn,
    FormVersionDetailOut,
    FormVersionOut,
    PublishOut,
)
from forms.selectors import form_list, form_version_by_name, form_versions
from forms.services import form_attach, form_publish, form_set_state
from forms.uploads import read_upload

router = Router(tags=["forms"])
_ERRORS = {**ERRORS, 409: ErrorOut, 413: ErrorOut}
_XFORM_RESPONSE = {
    "description": "The XForm XML",
    "content": {"text/xml": {"schema": {"type": "string"}}},
}


@router.post("/projects/{slug}/forms", response={201: PublishOut, 200: PublishOut, **_ERRORS})
def publish_form(
    request: SignedInRequest,
    slug: str,
    file: File[UploadedFile],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's idiom
) -> Status[PublishOut]:
    """Publish an XLSForm (.xlsx, .xls, .csv, .md) or XForm (.xml), with optional media files."""
    project = access_project_by_slug(request.user, slug, role=Role.ADMIN, whole_project=True)
    result = form_publish(
        project=project,
        source=read_upload(file),
        published_by=request.user,
        attachments=[read_upload(a) for a in attachments or []],
    )
    body = PublishOut(**FormVersionOut.of(result.version).dict(), created=result.created)
    return Status(201 if result.created else 200, body)


@router.get("/projects/{slug}/forms", response={200: list[FormOut], **_ERRORS})
def list_forms(request: HttpRequest, slug: str) -> list[FormOut]:
    """The project's forms with their current versions."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    return [FormOut.of(form) for form in form_list(project=project)]


@router.get("/projects/{slug}/forms/{form_id}", response={200: FormOut, **_ERRORS})
def get_form(request: HttpRequest, slug: str, form_id: str) -> FormOut:
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.SUPERVISOR)
    return FormOut.of(form)


@router.get(
    "/projects/{slug}/forms/{form_id}/versions", response={200: list[FormVersionOut], **_ERRORS}
)
def list_form_versions(request: HttpRequest, slug: str, form_id: str) -> list[FormVersionOut]:
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.SUPERVISOR)
    return [FormVersionOut.of(v) for v in form_versions(form=form)]


@router.get(
    "/projects/{slug}/forms/{form_id}/versions/{version}",
    response={200: FormVersionDetailOut, **_ERRORS},
)
def get_form_version(
    request: HttpRequest, slug: str, form_id: str, version: str
) -> FormVersionDetailOut:
    """One version with its question types and how many submissions it received."""
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.SUPERVISOR)
    found = form_version_by_name(form=form, version=version)
    return FormVersionDetailOut(
        **FormVersionOut.of(found).dict(),
        fields=found.fields,
        submissions=found.submissions.count(),
    )


@router.get(
    "/projects/{slug}/forms/{form_id}/versions/{version}/xform",
    response=_ERRORS,
    openapi_extra={"responses": {200: _XFORM_RESPONSE}},
)
def download_form_version_xform(
    request: HttpRequest, slug: str, form_id: str, version: str
) -> HttpResponse:
    """The XForm XML of one version, as the phones receive it."""
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.SUPERVISOR)
    found = form_version_by_name(form=form, version=version)
    return HttpResponse(found.xform, content_type="text/xml; charset=utf-8")


@router.post(
    "/projects/{slug}/forms/{form_id}/attachments", response={200: list[AttachmentOut], **_ERRORS}
)
def upload_form_attachments(
    request: HttpRequest, slug: str, form_id: str, files: File[list[UploadedFile]]
) -> list[AttachmentOut]:
    """Upload media or CSV files that the current version references, matched by file name."""
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.ADMIN, whole_project=True)
    if form.current_version is None:
        return []
    attached = form_attach(version=form.current_version, uploads=[read_upload(f) for f in files])
    return [AttachmentOut.of(a) for a in attached]


@router.post("/projects/{slug}/forms/{form_id}/state", response={200: FormOut, **_ERRORS})
def set_form_state(request: HttpRequest, slug: str, form_id: str, body: FormStateIn) -> FormOut:
    """Set the form to draft, open, closing or closed."""
    form = access_form_by_xml_id(request.user, slug, form_id, role=Role.ADMIN, whole_project=True)
    return FormOut.of(form_set_state(form=form, state=body.state))
