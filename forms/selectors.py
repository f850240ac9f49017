import hashlib
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias, TypedDict, TypeVar

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.core.cache import cached, generation
from backend.core.errors import NotFound
from backend.projects.models import Project
from forms.models import Form, FormAttachment, FormState, FormVersion
from forms.xform import list_columns_read
from forms.xform_labels import FormLabels, read_labels

if TYPE_CHECKING:  # WithAnnotations[Model, TypedDict] works for mypy only, not at run time
    from django_stubs_ext import WithAnnotations

T = TypeVar("T")


class _MediaFlag(TypedDict):
    has_media: bool


# A form as the phone's form list reads it: whether its current version has media files.
PhoneForm: TypeAlias = "WithAnnotations[Form, _MediaFlag]"


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


def forms_open_with_version(*, project: Project) -> QuerySet[Form]:
    """The project's open forms with their current version (its XForm), in one query."""
    return (
        Form.objects.filter(project=project, state=FormState.OPEN)
        .exclude(current_version=None)
        .select_related("current_version")
        .order_by("title", "xml_form_id")
    )


def forms_by_title(*, project: Project) -> QuerySet[Form]:
    """The project's forms, by title (a page's choice of form)."""
    return Form.objects.filter(project=project).order_by("title")


def form_versions(*, form: Form) -> QuerySet[FormVersion]:
    """Every published version of the form, newest first."""
    return form.versions.prefetch_related("attachments").order_by("-created_at")


def form_versions_by_id(ids: set[int]) -> dict[int, FormVersion]:
    """These form versions, by id."""
    return FormVersion.objects.in_bulk(ids)


def forms_scope(project_id: int) -> str:
    """The cache scope of a project's forms: services bump it whenever a form changes."""
    return f"forms:{project_id}"


def _cache_key(project_id: int, kind: str, *parts: object) -> str:
    """A key of the project's forms' generation; the parts (form ids and versions, which may
    hold spaces, any character and any length) are hashed, as memcached takes neither."""
    scope = forms_scope(project_id)
    digest = hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]
    return ":".join([scope, generation(scope), kind, digest])


def forms_for_phone(*, project: Project, form_id: str | None = None) -> list[PhoneForm]:
    """Open forms with a published version, sorted by title, as the form list shows them.

    Closing forms are left out: phones stop offering them while late submissions still arrive.
    Cached until a form of the project changes.
    """
    # `?formID=` (an empty id, matching no form) is not the whole list (no formID at all).
    key = _cache_key(project.pk, "phone-list", form_id is None, form_id or "")
    return cached(key, lambda: _forms_for_phone(project, form_id), in_process=True)


def cached_for_forms(*, project: Project, parts: tuple[str, ...], compute: Callable[[], T]) -> T:
    """A value derived from the project's forms alone (a rendered form list), cached until one of
    them changes. `parts` name what else it depends on; they are hashed, never stored in keys."""
    return cached(_cache_key(project.pk, "derived", *parts), compute, in_process=True)


def form_version_for_submission(
    *, project: Project, form_id: str, version: str
) -> tuple[Form, FormVersion] | None:
    """The form and version a submission names, or None; cached until a form changes, as every
    submission asks for the same few. Kept in the process too: the two rows are shared by its
    threads, to be read, never changed or saved."""
    key = _cache_key(project.pk, "version", form_id, version)
    return cached(
        key, lambda: _form_version_for_submission(project, form_id, version), in_process=True
    )


def _form_version_for_submission(
    project: Project, form_id: str, version: str
) -> tuple[Form, FormVersion] | None:
    found = (
        FormVersion.objects.select_related("form")
        .defer("xform", "warnings", "entities", "source")
        .filter(form__project=project, form__xml_form_id=form_id, version=version)
        .first()
    )
    return (found.form, found) if found is not None else None


def _forms_for_phone(project: Project, form_id: str | None) -> list[PhoneForm]:
    queryset = (
        Form.objects.filter(project=project, state=FormState.OPEN, current_version__isnull=False)
        .select_related("current_version")
        .defer(
            "current_version__xform",
            "current_version__warnings",
            "current_version__entities",
            "current_version__fields",
        )
        .annotate(
            has_media=Exists(
                FormAttachment.objects.filter(form_version=OuterRef("current_version"))
            )
        )
        .order_by("title", "xml_form_id")
    )
    # A stored id no URL can carry (publishing refuses such ids, forms/form_ids.py) would leave
    # the whole list without an answer: that form is left out, the others are listed.
    queryset = queryset.exclude(xml_form_id__contains="/").exclude(xml_form_id__in=[".", ".."])
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


# Forms whose copy of an entity list phones may still read: offered ones, and closing ones that
# phones keep (and fill) after they leave the form list.
_LIST_READERS = (FormState.OPEN, FormState.CLOSING)


def entity_list_columns(*, project_id: int, list_name: str) -> list[str]:
    """The columns of an entity list that the project's open and closing forms read (from their
    current XForms), sorted. Phones keep one copy of a list for all forms, so it is the union.
    Cached until a form of the project changes."""
    key = _cache_key(project_id, "list-columns", list_name)
    return cached(key, lambda: _entity_list_columns(project_id, list_name), in_process=True)


def _entity_list_columns(project_id: int, list_name: str) -> list[str]:
    versions = Form.objects.filter(
        project_id=project_id, state__in=_LIST_READERS, current_version__isnull=False
    ).values_list("current_version__md5", "current_version__xform")
    columns: set[str] = set()
    for md5, xform in versions:
        columns |= _columns_of(md5, xform, list_name)
    return sorted(columns)


@lru_cache(maxsize=64)
def _columns_of(md5: str, xform: str, list_name: str) -> frozenset[str]:
    return frozenset(list_columns_read(xform.encode("utf-8"), list_name))


def form_version_labels(version: FormVersion) -> FormLabels:
    """The labels of a version's questions and choices, parsed once per process (a version's
    XForm never changes, and its md5 names it)."""
    return _labels_of(version.md5, version.xform)


@lru_cache(maxsize=64)
def _labels_of(md5: str, xform: str) -> FormLabels:
    return read_labels(xform.encode("utf-8"))
