"""Whether each image answer of a submission decodes: a bad file is kept, not lost, and marked."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from backend.core.storage import stored_name
from backend.submissions.images import image_problem
from backend.submissions.models import AttachmentState, Submission, SubmissionAttachment
from backend.submissions.xml import Instance


def images_mark(submission: Submission, instance: Instance) -> None:
    """Mark each file of an image question as decodable or not. Camera photos were decoded by
    the evidence checks: their verdict is reused, the file is not read again. Drawn images
    (signatures) are opened here."""
    names = {
        text
        for path, kind in submission.form_version.fields.items()
        if kind == "image"
        for text in instance.texts_at(path)
        if text
    }
    if not names:
        return
    pending = submission.attachments.filter(
        state=AttachmentState.RECEIVED, name__in=names, image_ok__isnull=True
    )
    # Files are read before the transaction; rows are then locked by key, the order intake
    # locks them in, so a phone's retry arriving meanwhile waits instead of deadlocking.
    problems = {row.pk: _image_problem(row) for row in pending.select_related("evidence")}
    if not problems:
        return
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            SubmissionAttachment.objects.select_for_update(no_key=True)
            .filter(pk__in=problems)
            .order_by("pk")
        )
        for row in rows:
            row.image_problem = problems[row.pk]
            row.image_ok, row.updated_at = row.image_problem == "", now
        SubmissionAttachment.objects.bulk_update(rows, ["image_ok", "image_problem", "updated_at"])


def _image_problem(row: SubmissionAttachment) -> str:
    evidence = getattr(row, "evidence", None)
    if evidence is not None:
        return "" if evidence.decodable else (evidence.problem or "damaged image")
    with default_storage.open(stored_name(row.file), "rb") as stream:
        return image_problem(stream)
