"""The risk score that orders the review queue: the weighted sum of a submission's open flags.

A flag counts for the submission that found it (`Flag.submission`) while it is open. Its weight is
the project's RiskWeight for the code when there is one, else the default for the flag's severity,
so codes added later (evidence checks) weigh sensibly without configuration. See docs/web.md.
"""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from backend.flags.catalogue import FLAGS
from backend.flags.models import Flag, FlagState, Severity
from backend.projects.models import Project
from backend.review.models import RiskWeight
from backend.submissions.models import Submission

SEVERITY_WEIGHTS: dict[str, int] = {Severity.SERIOUS: 10, Severity.WARNING: 4, Severity.INFO: 1}


def project_weights(project: Project) -> dict[str, int]:
    """The weight of every code the project sets, catalogue codes at their severity default."""
    weights = {code: SEVERITY_WEIGHTS[severity] for code, (severity, _label) in FLAGS.items()}
    weights.update(RiskWeight.objects.filter(project=project).values_list("code", "weight"))
    return weights


def _weight_expression(project: Project) -> Case:
    overrides = dict(RiskWeight.objects.filter(project=project).values_list("code", "weight"))
    by_severity = Case(
        *(When(severity=severity, then=Value(w)) for severity, w in SEVERITY_WEIGHTS.items()),
        default=Value(SEVERITY_WEIGHTS[Severity.INFO]),
        output_field=IntegerField(),
    )
    if not overrides:
        return by_severity
    return Case(
        *(When(code=code, then=Value(w)) for code, w in overrides.items()),
        default=by_severity,
        output_field=IntegerField(),
    )


def risk_annotation(project: Project) -> Coalesce:
    """A query expression: the risk score of the submission in the outer query (0 without flags)."""
    open_flags = (
        Flag.objects.filter(submission=OuterRef("pk"), state=FlagState.OPEN)
        .order_by()
        .values("submission")
        .annotate(score=Sum(_weight_expression(project)))
        .values("score")
    )
    return Coalesce(Subquery(open_flags, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class RiskPart:
    code: str
    severity: str
    weight: int


def submission_risk(submission: Submission) -> tuple[int, list[RiskPart]]:
    """The submission's score and what makes it up, for its page."""
    flags = (
        Flag.objects.filter(submission=submission, state=FlagState.OPEN)
        .annotate(weight=_weight_expression(submission.project))
        .values_list("code", "severity", "weight")
        .order_by(F("weight").desc(), "code")
    )
    parts = [RiskPart(code, severity, weight) for code, severity, weight in flags]
    return sum(part.weight for part in parts), parts
