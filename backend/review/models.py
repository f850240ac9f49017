from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel
from backend.submissions.models import ReviewState


class ReviewComment(TimeStampedModel):
    """One entry in a submission's review thread: a decision with its comment, or a comment alone.

    The entries with a decision are the review history (who decided what, when, from which state).
    """

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # Empty for a comment without a decision.
    decision = models.CharField(
        _("decision"), max_length=16, choices=ReviewState.choices, blank=True
    )
    previous_state = models.CharField(
        _("previous state"), max_length=16, choices=ReviewState.choices, blank=True
    )
    text = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["submission", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=[*ReviewState.values, ""]),
                name="review_comment_decision_valid",
            ),
            # A comment without a decision must say something.
            models.CheckConstraint(
                condition=~models.Q(decision="", text=""), name="review_comment_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.decision or 'comment'}"
