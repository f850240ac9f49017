from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.core.errors import InvalidInput
from backend.flags.models import RiskWeight
from backend.projects.models import Project
from backend.review.models import ReviewComment
from backend.review.tasks import recompute_risk
from backend.submissions.models import Submission

MAX_COMMENT = 4000


def clean_comment(text: str) -> str:
    """The comment as stored: trimmed, and refused when too long."""
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            _("A comment may have at most %(max)d characters.") % {"max": MAX_COMMENT}
        )
    return text


@transaction.atomic(durable=True)
def review_comment_add(*, submission: Submission, actor: User, text: str) -> ReviewComment:
    """Add a comment without a decision to the submission's thread."""
    text = clean_comment(text)
    if not text:
        raise InvalidInput(_("Write a comment first."))
    return ReviewComment.objects.create(submission=submission, author=actor, text=text)


@transaction.atomic(durable=True)
def risk_weights_set(*, project: Project, weights: dict[str, int | None]) -> None:
    """Set the project's weight for each code (0 ignores a code); codes left out keep theirs.

    None removes the project's weight: the code weighs by its flags' severity again. The stored
    scores of submissions with open flags of a changed code are recomputed after commit, by a
    task: at a million submissions that takes seconds (docs/web.md).
    """
    before = dict(RiskWeight.objects.filter(project=project).values_list("code", "weight"))
    for code, weight in weights.items():
        if not code or len(code) > 40 or (weight is not None and not 0 <= weight <= 1000):
            raise InvalidInput(_("A weight is a whole number from 0 to 1000."))
        if weight is None:
            RiskWeight.objects.filter(project=project, code=code).delete()
        else:
            RiskWeight.objects.update_or_create(
                project=project, code=code, defaults={"weight": weight}
            )
    after = dict(RiskWeight.objects.filter(project=project).values_list("code", "weight"))
    # A code without a row weighs by severity: compare what the rows were, not the effect, so
    # removing a weight equal to the default still recomputes (cheap, and never wrong).
    changed = sorted(
        code for code in before.keys() | after.keys() if before.get(code) != after.get(code)
    )
    if changed:
        transaction.on_commit(partial(recompute_risk.enqueue, project.pk, changed))
