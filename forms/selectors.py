from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.core.errors import NotFound
from backend.projects.models import Project
from forms.models import Form, FormAttachment, FormState, FormVersion


def form_list(*, project: Project) -> QuerySet[Form]:
    """The project's forms with their current version and its attachments, in one query each."""
    return (
        Form.objects.filter(project=project)
        .select_related("current_version")
        .prefetch_related(
            Prefetch(
                "current_version__attachments", queryset=FormAttachment.objects.order_by("name")
            )
        )
        .order_by("xml_form_id")
    )


def form_versions(*, form: Form) -> QuerySet[FormVersion]:
    """Every published version of the form, newest first."""
    return form.versions.prefetch_related("attachments").order_by("-created_at")


def forms_for_phone(*, project: Project, form_id: str | None = None) -> list[Form]:
    """Open forms with a published version, sorted by title, as the form list shows them.

    Closing forms are left out: phones stop offering them while late submissions still arrive.
    """
    queryset = (
        Form.objects.filter(project=project, state=FormState.OPEN, current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related("current_version__attachments")
        .order_by("title", "xml_form_id")
    )
    if form_id is not None:
        queryset = queryset.filter(xml_form_id=form_id)
    return list(queryset)


def form_version_for_phone(*, project: Project, form_id: str, md5: str) -> FormVersion:
    """The version of a form with these exact bytes (download URLs carry the hash)."""
    version = (
        FormVersion.objects.select_related("form")
        .prefetch_related("attachments")
        .filter(form__project=project, form__xml_form_id=form_id, md5=md5)
        .first()
    )
    if version is None:
        raise NotFound(_("Form not found."))
    return version


def attachment_for_phone(*, version: FormVersion, name: str) -> FormAttachment:
    attachment = next((a for a in version.attachments.all() if a.name == name), None)
    if attachment is None or not attachment.is_present:
        raise NotFound(_("File not found."))
    return attachment


def form_version_by_name(*, form: Form, version: str) -> FormVersion:
    """One published version of the form by its version string."""
    found = form.versions.prefetch_related("attachments").filter(version=version).first()
    if found is None:
        raise NotFound(_("Form version not found."))
    return found
