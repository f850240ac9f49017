"""Publishing XLSForms: the one write path for forms, versions and their attachments."""

import hashlib
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.lists import VILLAGE_FILE, VILLAGE_LIST
from backend.core.cache import bump
from backend.core.storage import store_bytes
from backend.core.upload_size import refuse_oversized
from backend.entities.selectors import dataset_names
from backend.entities.services import datasets_register, declared_lists
from backend.projects.models import Project
from forms.entity_lists import HOUSEHOLD_LIST
from forms.errors import (
    AttachmentUnknown,
    FormInvalid,
    FormStateInvalid,
    FormTooLarge,
    FormVersionConflict,
)
from forms.form_ids import is_addressable, shown, unsafe_characters
from forms.models import Form, FormAttachment, FormState, FormVersion
from forms.selectors import forms_scope
from forms.xform import MediaRef, XFormError, XFormInfo, read_xform
from forms.xlsform import ConversionError, convert_xlsform, java_available, odk_validate

# Entity lists the server generates; a form's `<list>.csv` attachment is linked, not uploaded.
SERVER_ENTITY_LISTS = frozenset({HOUSEHOLD_LIST})
# Other lists the server writes from its own tables at each download: file name → list.
GENERATED_FILES = {VILLAGE_FILE: VILLAGE_LIST}
GENERATED_LISTS = frozenset(PurePath(name).stem for name in GENERATED_FILES)
ITEMSETS_NAME = "itemsets.csv"


@dataclass(frozen=True)
class Upload:
    """A file as received: its name and bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class PublishResult:
    version: FormVersion
    created: bool  # False when the identical version was already published


@dataclass(frozen=True)
class CheckResult:
    """What publishing would make of a file, without publishing it."""

    form_id: str
    title: str
    version: str
    warnings: list[str]
    media: list[str]  # files the form references, to upload with it or after
    conflict: str  # why publishing would be refused (same version, other content), or ""


@dataclass(frozen=True)
class _Converted:
    xform: str
    info: XFormInfo
    warnings: list[str]
    generated: list[Upload]


def form_publish(
    *,
    project: Project,
    source: Upload,
    published_by: User | None,
    attachments: Sequence[Upload] = (),
) -> PublishResult:
    """Publish an XLSForm (or XForm) as the form's current version.

    Publishing identical content again is a no-op that still takes new attachments; the same
    version string with different content is refused, because phones cache forms by version.
    """
    for upload in (source, *attachments):
        _check_size(upload)
    # Conversion is CPU work of up to a second: keep it outside the transaction.
    converted = _convert(source)
    return _store_version(
        project=project,
        source=source,
        converted=converted,
        uploads=[*converted.generated, *attachments],
        published_by=published_by,
    )


def form_check(*, project: Project, source: Upload) -> CheckResult:
    """Convert and read an XLSForm or XForm as publishing would, and store nothing.

    Raises FormInvalid (with pyxform's message) as form_publish does; a version that publishing
    would refuse is reported in `conflict`.
    """
    _check_size(source)
    converted = _convert(source)
    info = converted.info
    md5 = hashlib.md5(converted.xform.encode("utf-8")).hexdigest()  # noqa: S324  the OpenRosa hash
    existing = FormVersion.objects.filter(
        form__project=project, form__xml_form_id=info.form_id, version=info.version
    ).first()
    conflict = _version_conflict_message(info, source) if existing and existing.md5 != md5 else ""
    media = sorted({ref.name for ref in info.media} | {u.name for u in converted.generated})
    return CheckResult(
        form_id=info.form_id,
        title=info.title or info.form_id,
        version=info.version,
        warnings=converted.warnings,
        media=media,
        conflict=conflict,
    )


def form_set_state(*, form: Form, state: str) -> Form:
    """Open, close (keep accepting submissions while closing) or draft a form."""
    if state not in FormState.values:
        raise FormStateInvalid(_("Unknown form state: %(state)s.") % {"state": state})
    form.state = state
    form.save(update_fields=["state", "updated_at"])
    _forms_changed(form.project_id)
    return form


def form_attach(*, version: FormVersion, uploads: Sequence[Upload]) -> list[FormAttachment]:
    """Upload media or CSV files that a published version references."""
    for upload in uploads:
        _check_size(upload)
    with transaction.atomic(durable=True):
        attached = _apply_uploads(version, uploads)
        _forms_changed(version.form.project_id)
    return attached


def _check_size(upload: Upload) -> None:
    refuse_oversized(
        name=upload.name,
        size=len(upload.content),
        limit=settings.FORMS_MAX_UPLOAD_BYTES,
        error=FormTooLarge,
    )


def _convert(source: Upload) -> _Converted:
    """Turn the upload into XForm text and read it; every failure becomes FormInvalid."""
    try:
        if _is_xform(source):
            xform, warnings, itemsets = _decode_xform(source), [], None
        else:
            conversion = convert_xlsform(source.content, filename=source.name)
            xform, warnings, itemsets = conversion.xform, conversion.warnings, conversion.itemsets
        info = read_xform(xform.encode("utf-8"))
        warnings = [*warnings, *_validate(xform, source.name)]
    except (ConversionError, XFormError) as exc:
        detail = exc.detail if isinstance(exc, ConversionError) else str(exc)
        raise FormInvalid(
            _("%(name)s could not be published: %(reason)s")
            % {"name": source.name, "reason": str(exc)},
            details=[detail],
        ) from None
    _check_form_id(source, info.form_id)
    generated = [Upload(ITEMSETS_NAME, itemsets.encode("utf-8"))] if itemsets else []
    return _Converted(xform=xform, info=info, warnings=warnings, generated=generated)


def _is_xform(source: Upload) -> bool:
    return PurePath(source.name).suffix.lower() == ".xml"


def _check_form_id(source: Upload, form_id: str) -> None:
    """Refuse a form id no URL can carry: phones would get no form list (forms/form_ids.py)."""
    if is_addressable(form_id):
        return
    fix = (
        _("Change the id attribute of the XForm's primary instance and publish again.")
        if _is_xform(source)
        else _("Change form_id in the settings sheet and publish again.")
    )
    reason = _(
        "the form id %(id)s cannot be part of a web address. A form id may hold letters, "
        "digits, spaces and punctuation, but not / or \\ or control characters, and may not "
        "be . or .. alone. %(fix)s"
    ) % {"id": form_id, "fix": fix}
    chars = shown(unsafe_characters(form_id)) or form_id
    raise FormInvalid(
        _("%(name)s could not be published: %(reason)s") % {"name": source.name, "reason": reason},
        details=[f"the form id {form_id!r} is not a URL path segment ({chars})"],
    )


def _decode_xform(source: Upload) -> str:
    try:
        return source.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise XFormError("an XForm must be UTF-8 encoded") from None


def _validate(xform: str, filename: str) -> list[str]:
    mode = settings.FORMS_ODK_VALIDATE
    if mode == "off" or (mode == "auto" and not java_available()):
        return []
    if not java_available():
        raise ConversionError(
            "ODK Validate is required (FORMS_ODK_VALIDATE=on) but Java is missing"
        )
    return odk_validate(xform, filename=PurePath(filename).name)


@transaction.atomic(durable=True)
def _store_version(
    *,
    project: Project,
    source: Upload,
    converted: _Converted,
    uploads: Sequence[Upload],
    published_by: User | None,
) -> PublishResult:
    info = converted.info
    form = _lock_form(project, info)
    md5 = hashlib.md5(converted.xform.encode("utf-8")).hexdigest()  # noqa: S324  the OpenRosa hash
    existing = form.versions.filter(version=info.version).first()
    if existing is not None:
        if existing.md5 != md5:
            raise FormVersionConflict(_version_conflict_message(info, source))
        _apply_uploads(existing, uploads)
        _forms_changed(project.pk)
        return PublishResult(version=existing, created=False)
    version = FormVersion(
        form=form,
        version=info.version,
        xform=converted.xform,
        md5=md5,
        source_name=PurePath(source.name).name,
        warnings=converted.warnings,
        entities=_entities_json(info),
        fields=info.fields,
        published_by=published_by,
    )
    version.source.save(version.source_name, ContentFile(source.content), save=False)
    version.save()
    new_lists = _register_lists(project, form, version)
    # Collect looks for itemsets.csv by name; the XForm does not declare it.
    generated = [MediaRef(name=u.name, kind="file") for u in converted.generated]
    _create_attachments(version, [*info.media, *generated], previous=form.current_version)
    _link_waiting_attachments(project, new_lists)
    _apply_uploads(version, uploads)
    form.current_version = version
    form.title = info.title or info.form_id
    form.save(update_fields=["current_version", "title", "updated_at"])
    _forms_changed(project.pk)
    return PublishResult(version=version, created=True)


def _forms_changed(project_id: int) -> None:
    """Phones see the change on their next request: cached form lists and versions go stale
    (forms/selectors.py). Bumped now and again after commit, so a request that cached the old
    state while the transaction was open does not keep it."""
    bump(forms_scope(project_id))
    transaction.on_commit(partial(bump, forms_scope(project_id)))


def _lock_form(project: Project, info: XFormInfo) -> Form:
    """Get or create the form row, locked so two publishes of one form run one after the other."""
    form, _created = Form.objects.get_or_create(
        project=project,
        xml_form_id=info.form_id,
        defaults={"title": info.title or info.form_id},
    )
    return Form.objects.select_for_update().get(pk=form.pk)


def _version_conflict_message(info: XFormInfo, source: Upload) -> str:
    """Why the same version cannot be published again, and where to change it: the settings
    sheet of an XLSForm, the `version` attribute of an XForm's primary instance."""
    if _is_xform(source) and info.version:
        message = _(
            "Version %(version)s of form %(form)s was already published with different "
            "content. Change the version attribute of the XForm's primary instance and "
            "publish again."
        )
    elif _is_xform(source):
        message = _(
            "Form %(form)s was already published without a version and with different "
            "content. Set a version attribute on the XForm's primary instance and publish "
            "again."
        )
    elif info.version:
        message = _(
            "Version %(version)s of form %(form)s was already published with different "
            "content. Change the version in the settings sheet and publish again."
        )
    else:
        message = _(
            "Form %(form)s was already published without a version and with different "
            "content. Set a version in the settings sheet and publish again."
        )
    return message % {"version": info.version, "form": info.form_id}


def _entities_json(info: XFormInfo) -> dict[str, object]:
    if not info.entities:
        return {}
    return {
        "spec_version": info.entities_version,
        "declarations": [decl.as_json() for decl in info.entities],
    }


def _register_lists(project: Project, form: Form, version: FormVersion) -> list[str]:
    """Register the entity lists other than the households that the version writes to
    (backend/entities); return those that are new."""
    declarations = version.entities.get("declarations", [])
    others = [d for d in declarations if d.get("dataset") != HOUSEHOLD_LIST]
    for name in {str(d.get("dataset")) for d in others} & set(GENERATED_LISTS):
        raise FormInvalid(
            _(
                "%(form)s writes to an entity list named %(list)s, the name of a list the server "
                "writes from the project's areas. Give the list another name in the entities "
                "sheet and publish again."
            )
            % {"form": form.xml_form_id, "list": name}
        )
    return datasets_register(project_id=project.pk, form_id=form.pk, lists=declared_lists(others))


def _link_waiting_attachments(project: Project, lists: Sequence[str]) -> None:
    """A form published before the form that creates its list reads `<list>.csv` as a file still
    to upload: it reads the list now."""
    for name in lists:
        FormAttachment.objects.filter(
            form_version__form__project=project,
            name=f"{name}.csv",
            file="",
            entity_list="",
            generated="",
        ).update(entity_list=name)


def _create_attachments(
    version: FormVersion, media: Sequence[MediaRef], *, previous: FormVersion | None
) -> None:
    """One row per referenced file; content the previous version had is carried over."""
    carried = {a.name: a for a in previous.attachments.all()} if previous else {}
    lists = SERVER_ENTITY_LISTS | dataset_names(project_id=version.form.project_id)
    rows = []
    for ref in {ref.name: ref for ref in media}.values():
        row = FormAttachment(form_version=version, name=ref.name, kind=ref.kind)
        list_name = _entity_list_of(ref.name, lists)
        before = carried.get(ref.name)
        if list_name:
            row.entity_list = list_name
        elif ref.name in GENERATED_FILES:
            row.generated = GENERATED_FILES[ref.name]
        elif before is not None and before.file:
            row.file, row.md5, row.size = before.file.name, before.md5, before.size
        rows.append(row)
    FormAttachment.objects.bulk_create(rows)


def _entity_list_of(name: str, lists: Set[str]) -> str:
    path = PurePath(name)
    if path.suffix == ".csv" and path.stem in lists:
        return path.stem
    return ""


def _apply_uploads(version: FormVersion, uploads: Sequence[Upload]) -> list[FormAttachment]:
    expected = {a.name: a for a in version.attachments.select_for_update()}
    updated = []
    for upload in uploads:
        attachment = expected.get(PurePath(upload.name).name)
        if attachment is None:
            raise AttachmentUnknown(
                _("The form does not reference a file named %(name)s (it expects: %(names)s).")
                % {"name": upload.name, "names": ", ".join(sorted(expected)) or "-"}
            )
        if attachment.entity_list == HOUSEHOLD_LIST:
            raise AttachmentUnknown(
                _("%(name)s is generated by the server from the household list; do not upload it.")
                % {"name": upload.name}
            )
        if attachment.entity_list:
            raise AttachmentUnknown(
                _(
                    "%(name)s is generated by the server from the entity list %(list)s; do not "
                    "upload it."
                )
                % {"name": upload.name, "list": attachment.entity_list}
            )
        if attachment.generated:
            raise AttachmentUnknown(
                _("%(name)s is generated by the server from the project's areas; do not upload it.")
                % {"name": upload.name}
            )
        stored = store_bytes(upload.content, prefix="form-media")
        attachment.file, attachment.md5, attachment.size = stored.path, stored.md5, stored.size
        attachment.save(update_fields=["file", "md5", "size", "updated_at"])
        updated.append(attachment)
    return updated
