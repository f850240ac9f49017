"""OpenRosa endpoints: translate HTTP to services and back. Paths and formats: docs/openrosa.md."""

import hashlib
from collections.abc import Callable
from mimetypes import guess_type

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from backend.accounts.access import access_project_for_phone
from backend.areas.lists import VILLAGE_LIST, VillageList, village_list
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.downloads import accel_location, is_object_storage
from backend.core.errors import NotFound
from backend.core.requests import client_ip
from backend.entities.access import entities_for_actor
from backend.entities.models import Dataset, Entity
from backend.entities.selectors import (
    dataset_for_phone,
    entity_list_rows,
    entity_list_summary,
    entity_states,
)
from backend.households.list_cache import keeping, kept_list
from backend.households.list_tokens import phone_list_token
from backend.households.lists import (
    household_list_rows,
    household_list_summary,
    household_states,
    households_for_phone,
)
from backend.households.models import Household
from backend.pipeline.intake import submission_intake
from backend.projects.models import Project
from backend.submissions.uploads import submission_parts
from forms.entity_lists import HOUSEHOLD_LIST
from forms.phone_files import PhoneFile, PhoneVersion, phone_version
from forms.selectors import cached_for_forms, forms_for_phone
from sync.auth import Caller
from sync.decorators import XML, openrosa_endpoint, openrosa_response
from sync.openrosa import xml

OCTETS = "application/octet-stream"
CSV = "text/csv; charset=utf-8"


def _url(request: HttpRequest, route: str, token: str | None, **kwargs: str) -> str:
    # Links are built from the address the phone used, so its credentials apply to them too.
    if token is not None:
        kwargs["token"] = token
    return request.build_absolute_uri(reverse(f"sync:{route}", kwargs=kwargs))


def _project(caller: Caller, slug: str) -> Project:
    return access_project_for_phone(caller.user, slug, device_token=caller.device_token)


@openrosa_endpoint()
def form_list(request: HttpRequest, caller: Caller, slug: str, token: str | None) -> HttpResponse:
    project = _project(caller, slug)
    form_id = request.GET.get("formID")
    # Phones ask for this list whenever a worker opens "Download form"; it depends only on the
    # project's forms and on the address the phone used, so it is rendered once per address.
    body = cached_for_forms(
        project=project,
        parts=(
            "form-list",
            request.build_absolute_uri("/"),
            token or "",
            "*" if form_id is None else f"={form_id}",
        ),
        compute=lambda: _form_list(request, project, form_id, token),
    )
    return HttpResponse(body, content_type=XML)


def _form_list(
    request: HttpRequest, project: Project, form_id: str | None, token: str | None
) -> bytes:
    entries = []
    for form in forms_for_phone(project=project, form_id=form_id):
        version = form.current_version
        assert version is not None  # forms_for_phone only returns published forms
        ids = {"slug": project.slug, "form_id": form.xml_form_id, "md5": version.md5}
        entries.append(
            xml.FormListEntry(
                form_id=form.xml_form_id,
                name=form.title,
                version=version.version,
                md5=version.md5,
                download_url=_url(request, "form_download", token, **ids),
                manifest_url=_url(request, "form_manifest", token, **ids)
                if form.has_media
                else None,
            )
        )
    return xml.form_list(entries)


@openrosa_endpoint(version_header=False)
def form_download(
    request: HttpRequest, caller: Caller, slug: str, form_id: str, md5: str, token: str | None
) -> HttpResponseBase:
    version = phone_version(project=_project(caller, slug), form_id=form_id, md5=md5)
    return _unless_cached(
        request, version.md5, lambda: HttpResponse(version.xform, content_type=XML)
    )


@openrosa_endpoint()
def form_manifest(
    request: HttpRequest, caller: Caller, slug: str, form_id: str, md5: str, token: str | None
) -> HttpResponseBase:
    project = _project(caller, slug)
    version = phone_version(project=project, form_id=form_id, md5=md5)
    files = [
        _manifest_file(request, caller, project, version, attachment, token)
        for attachment in version.files
    ]
    body = xml.manifest(files)
    # The body names the lists' versions, so its hash changes exactly when a file would.
    etag = hashlib.md5(body).hexdigest()  # noqa: S324  an ETag, not a security hash
    return _unless_cached(request, etag, lambda: HttpResponse(body, content_type=XML))


def _manifest_file(
    request: HttpRequest,
    caller: Caller,
    project: Project,
    version: PhoneVersion,
    attachment: PhoneFile,
    token: str | None,
) -> xml.ManifestFile:
    ids = {"slug": project.slug, "form_id": version.form_id, "md5": version.md5}
    url = _url(request, "form_media", token, name=attachment.name, **ids)
    if attachment.generated:
        generated = _generated(caller, project, attachment.generated)
        return xml.ManifestFile(filename=attachment.name, md5=generated.md5, download_url=url)
    if not attachment.entity_list:
        return xml.ManifestFile(filename=attachment.name, md5=attachment.md5, download_url=url)
    integrity = _url(
        request, "entity_integrity", token, slug=project.slug, name=attachment.entity_list
    )
    if attachment.entity_list != HOUSEHOLD_LIST:
        dataset = _dataset(project, attachment.entity_list)
        return xml.ManifestFile(
            filename=attachment.name,
            md5=entity_list_summary(dataset, _entities(caller, dataset)).token,
            download_url=url,
            list_type="entityList",
            integrity_url=integrity,
        )
    return xml.ManifestFile(
        filename=attachment.name,
        # A version token read from an index, not the CSV's MD5 (that would take rendering the
        # list): it changes when the bytes this person would download change (lists.py), and
        # is kept until a household, an area or the list's columns change (list_tokens.py).
        md5=phone_list_token(project=project, actor=caller.user),
        download_url=url,
        # Collect does not create offline households when the server must approve them first.
        list_type="approvalEntityList"
        if project.household_creation_needs_approval
        else "entityList",
        integrity_url=integrity,
    )


def _entity_list(caller: Caller, project: Project) -> QuerySet[Household]:
    return households_for_phone(project=project, actor=caller.user)


def _dataset(project: Project, name: str) -> Dataset:
    dataset = dataset_for_phone(project_id=project.pk, name=name)
    if dataset is None:
        raise NotFound(_("Entity list not found."))
    return dataset


def _entities(caller: Caller, dataset: Dataset) -> QuerySet[Entity]:
    return entities_for_actor(actor=caller.user, dataset=dataset)


def _generated(caller: Caller, project: Project, name: str) -> VillageList:
    if name != VILLAGE_LIST:
        raise NotFound(_("File not found."))
    return village_list(actor=caller.user, project=project)


def _unless_cached(
    request: HttpRequest, etag: str, respond: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """304 when the phone already has these bytes, else the response; both carry the ETag."""
    cached = request.headers.get("If-None-Match", "").strip('"') == etag
    response = HttpResponse(status=304) if cached else respond()
    response["ETag"] = f'"{etag}"'
    return response


@openrosa_endpoint(version_header=False)
def form_media(
    request: HttpRequest,
    caller: Caller,
    slug: str,
    form_id: str,
    md5: str,
    name: str,
    token: str | None,
) -> HttpResponseBase:
    project = _project(caller, slug)
    attachment = phone_version(project=project, form_id=form_id, md5=md5).file(name)
    if attachment.entity_list == HOUSEHOLD_LIST:
        return _household_list(request, caller, project, attachment.entity_list)
    if attachment.entity_list:
        return _other_list(request, caller, _dataset(project, attachment.entity_list))
    if attachment.generated:
        generated = _generated(caller, project, attachment.generated)
        return _unless_cached(
            request,
            generated.md5,
            lambda: HttpResponse(generated.content, content_type="text/csv; charset=utf-8"),
        )
    return _unless_cached(request, attachment.md5, lambda: _uploaded_file(attachment))


def _uploaded_file(attachment: PhoneFile) -> HttpResponseBase:
    """The bytes of an uploaded media file: sent by nginx when it is in front
    (MEDIA_X_ACCEL_PREFIX, files on disk), else streamed by the app."""
    if settings.MEDIA_X_ACCEL_PREFIX and not is_object_storage():
        response = HttpResponse(content_type=guess_type(attachment.name)[0] or OCTETS)
        response["X-Accel-Redirect"] = accel_location(attachment.storage_name)
        return response
    return FileResponse(default_storage.open(attachment.storage_name, "rb"))


def _household_list(
    request: HttpRequest, caller: Caller, project: Project, name: str
) -> HttpResponseBase:
    """The phone's household list; each download (not a 304) is one access-log entry."""
    households = _entity_list(caller, project)
    summary = household_list_summary(project, households)

    def download() -> HttpResponseBase:
        access_log_record(
            user=caller.user,
            project_id=project.pk,
            kind=AccessKind.DOWNLOAD_LIST,
            object_type="household_list",
            object_ids=[name],
            ip=client_ip(request),
            detail=f"deviceID {request.GET.get('deviceID', '')}".strip()[:255],
            device=caller.device_token,
            count=summary.count,
        )
        kept = kept_list(project.pk, summary.token)
        if kept is not None:
            return FileResponse(kept.open("rb"), content_type=CSV)
        rows = keeping(project.pk, summary.token, household_list_rows(project, households))
        return StreamingHttpResponse(rows, content_type=CSV)

    return _unless_cached(request, summary.token, download)


def _other_list(request: HttpRequest, caller: Caller, dataset: Dataset) -> HttpResponseBase:
    """Another entity list of the phone's project; each download is one access-log entry."""
    entities = _entities(caller, dataset)
    summary = entity_list_summary(dataset, entities)

    def download() -> HttpResponseBase:
        access_log_record(
            user=caller.user,
            project_id=dataset.project_id,
            kind=AccessKind.DOWNLOAD_LIST,
            object_type="entity_list",
            object_ids=[dataset.name],
            ip=client_ip(request),
            detail=f"deviceID {request.GET.get('deviceID', '')}".strip()[:255],
            device=caller.device_token,
            count=summary.count,
        )
        rows = entity_list_rows(dataset, entities)
        return StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")

    return _unless_cached(request, summary.token, download)


@openrosa_endpoint()
def entity_integrity(
    request: HttpRequest, caller: Caller, slug: str, name: str, token: str | None
) -> HttpResponse:
    project = _project(caller, slug)
    ids = [i for i in request.GET.get("id", "").split(",") if i]
    if name == HOUSEHOLD_LIST:
        states = household_states(project=project, actor=caller.user, ids=ids)
    else:
        dataset = _dataset(project, name)
        states = entity_states(dataset=dataset, actor=caller.user, ids=ids)
    return HttpResponse(xml.integrity(states), content_type=XML)


@openrosa_endpoint(methods=("HEAD", "GET", "POST"))
def submission(request: HttpRequest, caller: Caller, slug: str, token: str | None) -> HttpResponse:
    project = _project(caller, slug)
    if request.method != "POST":
        return HttpResponse(status=204)  # the pre-flight: Collect reads our headers
    xml_part, files = submission_parts(request)
    result = submission_intake(
        project=project,
        xml=xml_part,
        files=files,
        submitted_by=caller.user,
        device_token=caller.device_token,
        device=request.GET.get("deviceID", ""),
    )
    message = (
        _("Submission received.")
        if result.submission.complete
        else _("Submission received; some attachments are still to come.")
    )
    return openrosa_response(message, status=201)
