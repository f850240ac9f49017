"""Receiving submissions from ODK Collect: the one write path for Submission records.

Files are stored (content-addressed) before the transaction opens; rows are written in one
transaction, so a crash leaves either nothing or a complete record (at worst an unreferenced file).
Post-processing is queued as a task once the rows are committed (tasks.py): with a task worker
the 201 goes out without waiting for it; in the embedded default it runs in-process before the
201. Either way its outcome never changes the answer.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.accounts.models import DeviceToken, User
from backend.core.compiled import insert_of_one_row
from backend.core.storage import StoredFile, store_file
from backend.core.transient import with_retries
from backend.projects.models import Project
from backend.submissions.errors import (
    AttachmentConflict,
    DeprecatedNotFound,
    FormClosed,
    SubmissionConflict,
    SubmissionFormNotFound,
    SubmissionInvalid,
    SubmissionNotYours,
    SubmissionTooLarge,
    SubmissionVersionNotFound,
)
from backend.submissions.instance_ids import assigned_instance_id, declares_instance_id
from backend.submissions.models import (
    AttachmentState,
    Channel,
    ReviewState,
    Submission,
    SubmissionAttachment,
)
from backend.submissions.xml import Instance, InstanceError, parse_instance
from forms.models import Form, FormState, FormVersion
from forms.selectors import form_version_for_submission

ATTACHMENT_PREFIX = "attachments"
_BINARY_TYPES = {"binary", "image"}
_MAX_NAME = 255  # SubmissionAttachment.name


@dataclass(frozen=True)
class ReceivedFile:
    """A multipart part other than the XML: its file name (as the web framework cleaned it:
    no folders, quotes or control characters), its content, and the part's field name as sent
    (Collect names the field after the file too)."""

    name: str
    file: File
    content_type: str = ""
    field: str = ""

    def name_in(self, expected: list[str]) -> str | None:
        """The name under which the XML expects this file, if any: the file name, or else the
        field name, which keeps characters the file name lost in cleaning, as sent or as the
        phone meant it (see _unescaped)."""
        names = (self.name, self.field, _unescaped(self.field))
        return next((name for name in names if name in expected), None)


def _unescaped(part_name: str) -> str:
    """A part's name as the phone meant it: Collect's HTTP client (OkHttp), as browsers do
    (WHATWG multipart/form-data encoding), writes `"`, CR and LF in it as %22, %0D and %0A."""
    return part_name.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


@dataclass(frozen=True)
class ReceiveResult:
    submission: Submission
    created: bool  # a new record (new submission or edit); False for a retry or split upload


@dataclass(frozen=True)
class _Target:
    form: Form
    version: FormVersion
    instance: Instance
    instance_id: str  # the XML's, or the one the server assigned (instance_ids.py)
    assigned: bool
    xml: str
    xml_sha256: str
    stored: dict[str, tuple[StoredFile, str]]  # part name -> (stored file, content type)
    expected: list[str]


# Whether the sender may edit this submission (or add its files): the access rule of the
# households' submissions (backend/households/submission_access.py), passed in by the caller.
MayEdit = Callable[[Submission], bool]
# What the caller does inside the record's transaction once the rows are written (queue the
# processing, backend/pipeline/intake.py).
Recorded = Callable[["ReceiveResult"], None]


def submission_receive(
    *,
    project: Project,
    xml: bytes,
    files: Sequence[ReceivedFile],
    submitted_by: User,
    may_edit: MayEdit,
    device_token: DeviceToken | None = None,
    device: str = "",
    channel: str = Channel.PHONE,
    recorded: Recorded | None = None,
) -> ReceiveResult:
    """Record a submission (or an edit, or more attachments of one already received).

    `device` is the phone's own id (Collect's `deviceID`): with the sender, it tells apart
    identical submissions of a form without meta/instanceID from two phones. `channel` says
    whether a phone or the web form sent it; nothing else depends on it. `recorded` runs at the
    end of the record's transaction, with its result: what it writes commits with the record.
    """
    sender = f"token:{device_token.pk}" if device_token else f"user:{submitted_by.pk}"
    target = _prepare(project, xml, files, sender=sender, device=device)
    record = partial(
        _record,
        target,
        submitted_by=submitted_by,
        may_edit=may_edit,
        device_token=device_token,
        channel=channel,
        recorded=recorded,
    )
    try:
        result = with_retries(record)
    except IntegrityError:
        # Two copies of one new submission raced; the loser finds the winner's row now.
        result = with_retries(record)
    return result


def _prepare(
    project: Project, xml: bytes, files: Sequence[ReceivedFile], *, sender: str, device: str
) -> _Target:
    if len(xml) > settings.OPENROSA_MAX_XML_BYTES:
        raise SubmissionTooLarge(_("The submission XML is too large."))
    try:
        instance = parse_instance(xml)
        text = xml.decode("utf-8")
    except (InstanceError, UnicodeDecodeError) as exc:
        raise SubmissionInvalid(
            _("The submission XML could not be read: %(reason)s") % {"reason": exc}
        ) from None
    form, version = _resolve_form(project, instance)
    xml_sha256 = hashlib.sha256(xml).hexdigest()
    instance_id = instance.instance_id or _assigned_id(
        instance, version, xml_sha256, sender, device
    )
    expected = _expected_files(version, instance)
    # Parts the XML does not name are ignored, as Collect may send stray files.
    named = [(part.name_in(expected), part) for part in files]
    stored = {
        name: (store_file(part.file, prefix=ATTACHMENT_PREFIX), part.content_type)
        for name, part in named
        if name is not None
    }
    return _Target(
        form=form,
        version=version,
        instance=instance,
        instance_id=instance_id,
        assigned=not instance.instance_id,
        xml=text,
        xml_sha256=xml_sha256,
        stored=stored,
        expected=expected,
    )


def _resolve_form(project: Project, instance: Instance) -> tuple[Form, FormVersion]:
    found = form_version_for_submission(
        project=project, form_id=instance.form_id, version=instance.version
    )
    if found is None:
        form = Form.objects.filter(project=project, xml_form_id=instance.form_id).first()
        if form is None:
            raise SubmissionFormNotFound(
                _("There is no form %(form)s in this project.") % {"form": instance.form_id}
            )
        raise SubmissionVersionNotFound(
            _("Version %(version)s of form %(form)s was never published.")
            % {"version": instance.version or "-", "form": instance.form_id}
        )
    form, version = found
    if form.state in {FormState.CLOSED, FormState.DRAFT}:
        raise FormClosed(
            _("The form %(form)s is not accepting submissions.") % {"form": form.title}
        )
    return form, version


def _assigned_id(
    instance: Instance, version: FormVersion, xml_sha256: str, sender: str, device: str
) -> str:
    """The server's instanceID for a form that declares none. A submission without one for a
    form that declares it is not what Collect sends: refused."""
    if declares_instance_id(version.fields, instance.root.tag.rsplit("}", 1)[-1]):
        raise SubmissionInvalid(
            _("The submission XML could not be read: %(reason)s")
            % {"reason": "meta/instanceID is missing"}
        )
    return assigned_instance_id(
        form_pk=version.form_id, xml_sha256=xml_sha256, sender=sender, device=device
    )


def _expected_files(version: FormVersion, instance: Instance) -> list[str]:
    """File names the XML refers to: values of binary fields, or an encrypted manifest's files."""
    if instance.encrypted:
        return sorted(set(instance.encrypted_files()))
    paths = [path for path, kind in version.fields.items() if kind in _BINARY_TYPES]
    names = {text for text in instance.texts_under(paths) if text}
    if any(len(name) > _MAX_NAME for name in names):
        raise SubmissionInvalid(_("An attachment name is longer than 255 characters."))
    return sorted(names)


@transaction.atomic(durable=True)
def _record(
    target: _Target,
    *,
    submitted_by: User,
    may_edit: MayEdit,
    device_token: DeviceToken | None,
    channel: str,
    recorded: Recorded | None,
) -> ReceiveResult:
    result = _record_rows(
        target,
        submitted_by=submitted_by,
        may_edit=may_edit,
        device_token=device_token,
        channel=channel,
    )
    if recorded is not None:
        recorded(result)
    return result


def _record_rows(
    target: _Target,
    *,
    submitted_by: User,
    may_edit: MayEdit,
    device_token: DeviceToken | None,
    channel: str,
) -> ReceiveResult:
    if not target.instance.deprecated_id:
        # Most intakes are new instances: one INSERT that does nothing for a known instanceID
        # (a retry, a split upload, a race with a copy) tells them apart without a lock.
        created = _inserted(
            target, submitted_by=submitted_by, device_token=device_token, channel=channel
        )
        if created is not None:
            _create_attachments(created, target, carried={})
            return ReceiveResult(submission=created, created=True)
    existing = _locked(target.form, target.instance_id)
    if existing is not None:
        _check_same(existing, target)
        _check_editor(existing, may_edit)
        _add_files(existing, target)
        return ReceiveResult(submission=existing, created=False)
    previous = _previous_for_edit(target) if target.instance.deprecated_id else None
    if previous is not None:
        _check_editor(previous, may_edit)
    carried = _carried_files(previous)
    submission = _new_submission(
        target,
        submitted_by=submitted_by,
        device_token=device_token,
        channel=channel,
        previous=previous,
        carried=carried,
    )
    submission.save(force_insert=True)
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    _create_attachments(submission, target, carried=carried)
    return ReceiveResult(submission=submission, created=True)


def _new_submission(
    target: _Target,
    *,
    submitted_by: User,
    device_token: DeviceToken | None,
    channel: str,
    previous: Submission | None = None,
    carried: dict[str, SubmissionAttachment] | None = None,
) -> Submission:
    return Submission(
        complete=_will_be_complete(target, carried or {}),
        project_id=target.form.project_id,
        form=target.form,
        form_version=target.version,
        instance_id=target.instance_id,
        instance_id_assigned=target.assigned,
        instance_name=target.instance.instance_name,
        device_id=target.instance.device_id,
        submitted_by=submitted_by,
        device_token=device_token,
        channel=channel,
        supersedes=previous,
        xml=target.xml,
        xml_sha256=target.xml_sha256,
        encrypted=target.instance.encrypted,
        review_state=ReviewState.EDITED if previous else ReviewState.RECEIVED,
    )


def _inserted(
    target: _Target, *, submitted_by: User, device_token: DeviceToken | None, channel: str
) -> Submission | None:
    """The new submission, written; None when its instanceID was already received (or, on
    SQLite, when the row breaks another constraint: the ordinary path then says which)."""
    submission = _new_submission(
        target, submitted_by=submitted_by, device_token=device_token, channel=channel
    )
    return (
        submission if insert_of_one_row(Submission, unless_conflict=True).run(submission) else None
    )


def _locked(form: Form, instance_id: str) -> Submission | None:
    """The submission with this instanceID, locked, with what a retry or an edit compares.

    The lock is FOR NO KEY UPDATE: it serialises intakes of one instance, yet lets the merge and
    the evidence checks insert rows that point at the submission (PostgreSQL takes FOR KEY SHARE
    on it for each such foreign key); FOR UPDATE would make them wait, and deadlock with an
    intake that waits for their attachment rows.

    Runs on every intake: unordered (there is at most one) and a few columns, as building the
    ORDER BY and the full column list cost Django more CPU than PostgreSQL spends on the query.
    """
    rows = (
        Submission.objects.select_for_update(no_key=True)
        .filter(form=form, instance_id=instance_id)
        .only(
            "form_id",
            "project_id",
            "submitted_by_id",
            "xml_sha256",
            "is_current",
            "complete",
            "processed_at",
        )
    )
    return next(iter(rows.order_by()[:1]), None)


def _check_editor(submission: Submission, may_edit: MayEdit) -> None:
    """Only a sender who may edit a submission supersedes it or adds its files: nobody takes
    over another worker's record (and its photos) by naming its instanceID."""
    if not may_edit(submission):
        raise SubmissionNotYours(
            _("This submission belongs to someone else, and you may not change it.")
        )


def _will_be_complete(target: _Target, carried: dict) -> bool:
    return all(name in target.stored or name in carried for name in target.expected)


def _check_same(existing: Submission, target: _Target) -> None:
    if existing.xml_sha256 != target.xml_sha256:
        raise SubmissionConflict(
            _(
                "A submission with this instance ID was already received with different content. "
                "Edit the saved form instead of changing it."
            )
        )
    if not existing.is_current:
        raise SubmissionConflict(_("This submission has since been edited; send the edit."))


def _previous_for_edit(target: _Target) -> Submission:
    previous = _locked(target.form, target.instance.deprecated_id)
    if previous is None:
        raise DeprecatedNotFound(_("The submission this edit replaces was never received."))
    if not previous.is_current:
        raise SubmissionConflict(_("The submission this edit replaces was already edited."))
    return previous


def _carried_files(previous: Submission | None) -> dict[str, SubmissionAttachment]:
    if previous is None:
        return {}
    return {a.name: a for a in previous.attachments.filter(state=AttachmentState.RECEIVED)}


def _create_attachments(
    submission: Submission, target: _Target, *, carried: dict[str, SubmissionAttachment]
) -> None:
    rows = []
    for name in target.expected:
        row = SubmissionAttachment(submission=submission, name=name)
        if name in target.stored:
            _fill(row, *target.stored[name])
        elif name in carried:
            old = carried[name]
            row.file, row.sha256, row.md5, row.size = old.file.name, old.sha256, old.md5, old.size
            row.content_type, row.state = old.content_type, AttachmentState.RECEIVED
        rows.append(row)
    if rows:
        SubmissionAttachment.objects.bulk_create(rows)


def _fill(row: SubmissionAttachment, stored: StoredFile, content_type: str) -> None:
    row.file, row.sha256, row.md5, row.size = stored.path, stored.sha256, stored.md5, stored.size
    row.content_type = content_type[:100]
    row.state = AttachmentState.RECEIVED


def _add_files(submission: Submission, target: _Target) -> None:
    """A retry or the next part of a split upload: add what is missing, refuse what differs."""
    changed = []
    # Locked in one order (by key), as every writer of attachment rows does, after the submission.
    for row in submission.attachments.select_for_update(no_key=True).order_by("pk"):
        if row.name not in target.stored:
            continue
        stored, content_type = target.stored[row.name]
        if row.state == AttachmentState.RECEIVED:
            if row.sha256 != stored.sha256:
                raise AttachmentConflict(
                    _("%(name)s was already received with different content.") % {"name": row.name}
                )
            continue
        _fill(row, stored, content_type)
        row.save(update_fields=["file", "sha256", "md5", "size", "content_type", "state"])
        changed.append(row)
    if changed and not submission.complete:
        pending = submission.attachments.filter(state=AttachmentState.EXPECTED).exists()
        if not pending:
            submission.complete = True
            submission.save(update_fields=["complete", "updated_at"])
