"""What the server kept of what the phones sent, read from the database and the media folder.

For every form answered 201: is the submission there with the XML sent and every file sent
(its SHA-256 in the database, and the bytes on disk), and did it change its household exactly
once, or else say why (a flag, or the reason the registry refused it)?
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import DataError
from django.db.models import Count

from backend.flags.models import Flag
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from ops.faults.forms import Filled

# Flags that tell a supervisor what is wrong with a visit's answers. An unmerged visit is also
# explained by any flag on its household (subject ""); evidence flags (about the visit or a
# photo: a subject "s<id>...") are not, as the checks run whether or not the merge applied.
_ANSWER_FLAGS = {"value_out_of_range", "entity_out_of_scope"}
_JUDGED = (
    "instance_id",
    "xml_sha256",
    "complete",
    "processed_at",
    "processing_error",
    "entity_error",
)


@dataclass
class Tally:
    sent: int = 0
    accepted: int = 0  # answered 201 at least once
    stored: int = 0
    intact: int = 0
    merged_once: int = 0
    flagged: int = 0
    unmerged: int = 0  # should have changed a household, did not, and nothing says why
    silent: int = 0  # a processing error no flag tells anyone about
    refused_merge: int = 0  # not merged, the reason recorded (Submission.entity_error)
    refused: int = 0  # answered 4xx at intake
    unanswered: int = 0  # neither 201 nor 4xx before the phone gave up
    problems: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.accepted - self.intact

    @property
    def damaged(self) -> int:
        return self.stored - self.intact


def tally(forms: Iterable[Filled]) -> Tally:
    """Count the forms by instance (a form sent by several phones at once counts once)."""
    by_instance: dict[str, list[Filled]] = defaultdict(list)
    for form in forms:
        by_instance[form.instance_id].append(form)
    accepted = {
        i: next(c for c in copies if c.accepted)
        for i, copies in by_instance.items()
        if any(c.accepted for c in copies)
    }
    refused = [
        i
        for i, copies in by_instance.items()
        if i not in accepted and any(c.refused for c in copies)
    ]
    result = Tally(sent=len(by_instance), accepted=len(accepted), refused=len(refused))
    result.unanswered = result.sent - result.accepted - result.refused
    # Only what is judged here: a column that cannot be read back must not hide the others.
    stored = (
        Submission.objects.filter(instance_id__in=list(accepted))
        .only(*_JUDGED)
        .annotate(versions=Count("household_versions", distinct=True))
    )
    rows = {s.instance_id: s for s in stored}
    for instance_id, form in accepted.items():
        _judge(result, form, rows.get(instance_id))
    return result


def _judge(result: Tally, form: Filled, submission: Submission | None) -> None:
    name = form.label or form.instance_id
    if submission is None:
        result.problems.append(f"LOST {name}: answered 201, not in the database")
        return
    result.stored += 1
    damage = _damage(form, submission)
    if damage:
        result.problems.append(f"DAMAGED {name}: {damage}")
    else:
        result.intact += 1
    flags = dict(Flag.objects.filter(submission=submission).values_list("code", "subject"))
    merged = submission.versions == 1  # type: ignore[attr-defined]
    result.merged_once += merged
    on_household = {code for code, subject in flags.items() if not subject}
    explained = bool(set(flags) & _ANSWER_FLAGS) or (bool(on_household) and not merged)
    result.flagged += explained
    if submission.processing_error and not explained:
        result.silent += 1
        result.problems.append(f"SILENT {name}: {submission.processing_error[:200]}")
    if form.merges and not merged and explained:
        result.problems.append(f"not merged, flagged {sorted(on_household)}: {name}")
    if not form.merges or merged or explained:
        return
    if submission.entity_error:
        result.refused_merge += 1
        result.problems.append(f"not merged: {name}: {submission.entity_error[:120]}")
    else:
        result.unmerged += 1
        versions = submission.versions  # type: ignore[attr-defined]
        result.problems.append(
            f"UNMERGED {name}: {versions} household versions, processed_at "
            f"{submission.processed_at}, error {submission.processing_error[:200]!r}"
        )


def _damage(form: Filled, submission: Submission) -> str:
    """Why the stored submission is not what was sent ("" when it is)."""
    unreadable = _unreadable(submission.pk)
    if unreadable:
        return unreadable
    if submission.xml_sha256 != hashlib.sha256(form.xml).hexdigest():
        return "the XML differs from the one sent"
    rows = {a.name: a for a in SubmissionAttachment.objects.filter(submission=submission)}
    for name, content in form.files.items():
        row = rows.get(name)
        if row is None or row.state != AttachmentState.RECEIVED:
            return f"{name!r} not received"
        if row.sha256 != hashlib.sha256(content).hexdigest() or row.size != len(content):
            return f"{name!r} has another SHA-256 or size in the database"
        if _disk_sha256(row.file.name) != row.sha256:
            return f"{name!r} on disk does not match its SHA-256"
    if form.files and not submission.complete:
        return "every file arrived, yet the submission is not complete"
    return ""


def _unreadable(pk: int) -> str:
    """Why the whole row cannot be loaded, as the review pages and the API load it ("" when it
    can): a value PostgreSQL stores but Python cannot hold (a year before 1 or after 9999)."""
    try:
        Submission.objects.get(pk=pk)
    except DataError as error:
        return f"the row cannot be read back: {error}"
    return ""


def _disk_sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with default_storage.open(path, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 16), b""):
                digest.update(chunk)
    except OSError as error:
        return f"unreadable: {error}"
    return digest.hexdigest()
