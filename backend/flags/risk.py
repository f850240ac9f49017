"""The risk score that orders the review queue: the weighted sum of a submission's open flags.

A flag counts for the submission that found it (`Flag.submission`) while it is open. Its weight is
the project's RiskWeight for the code when there is one, else the default for the flag's severity,
so codes added later (evidence checks) weigh sensibly without configuration. See docs/web.md.

The score is stored on the submission (`Submission.risk`) so that the queue is read in index
order: the flag services refresh it when they open or close a flag, and a change of the project's
weights recomputes the submissions that have open flags of the changed codes.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from backend.core.cache import bump_with_transaction, cached_on_generation
from backend.core.compiled import update_of_one_row
from backend.flags.models import Flag, FlagState, RiskWeight, Severity
from backend.projects.models import Project
from backend.submissions.models import Submission

SEVERITY_WEIGHTS: dict[str, int] = {Severity.SERIOUS: 10, Severity.WARNING: 4, Severity.INFO: 1}


def weights_generation(project_id: int) -> str:
    """The generation under which the project's weights are kept between refreshes; every save
    or delete of a RiskWeight bumps it (backend/flags/apps.py)."""
    return f"risk-weights:{project_id}"


def weights_changed(sender: type, instance: RiskWeight, **kwargs: object) -> None:
    bump_with_transaction(weights_generation(instance.project_id))


def project_weights(project: Project | int) -> dict[str, int]:
    """The project's own weights by code (RiskWeight), read on every flag opened or closed."""
    project_id = project if isinstance(project, int) else project.pk
    return dict(
        cached_on_generation(
            weights_generation(project_id),
            f"risk-weights:{project_id}",
            partial(_weights, project_id),
        )
    )


def _weights(project_id: int) -> dict[str, int]:
    return dict(RiskWeight.objects.filter(project_id=project_id).values_list("code", "weight"))


def _weight_expression(project: Project | int) -> Case:
    return _weights_expression(project_weights(project))


def _weights_expression(overrides: Mapping[str, int]) -> Case:
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


def risk_annotation(project: Project | int) -> Coalesce:
    """A query expression: the risk score of the submission in the outer query (0 without flags)."""
    return _score(project_weights(project))


def _score(overrides: Mapping[str, int]) -> Coalesce:
    open_flags = (
        Flag.objects.filter(submission=OuterRef("pk"), state=FlagState.OPEN)
        .order_by()
        .values("submission")
        .annotate(score=Sum(_weights_expression(overrides)))
        .values("score")
    )
    return Coalesce(Subquery(open_flags, output_field=IntegerField()), Value(0))


def submission_risk_refresh(
    *, project: Project | int, submission_ids: Iterable[int | None]
) -> None:
    """Store the score of these submissions from their open flags (after a flag opens, closes)."""
    ids = sorted({pk for pk in submission_ids if pk is not None})
    if not ids:
        return
    sql, params = _risk_update(tuple(sorted(project_weights(project).items())))
    with connection.cursor() as cursor:
        for pk in ids:  # a few: the visits that found the flags a run opened or closed
            cursor.execute(sql, [*params, pk])


@lru_cache(maxsize=64)
def _risk_update(weights: tuple[tuple[str, int], ...]) -> tuple[str, tuple[Any, ...]]:
    """The UPDATE that stores one submission's score (backend/core/compiled.py), compiled once
    per set of weights: building the score's expressions on every flag a visit opened or closed
    was an eighth of the CPU of a household merge."""
    return update_of_one_row(Submission, {"risk": _score(dict(weights))})


# Submissions a recomputation reads and writes per transaction: short locks, flat memory.
RECOMPUTE_BATCH = 20_000


def risk_recompute(
    *, project: Project, codes: Collection[str] | None = None, batch_size: int = RECOMPUTE_BATCH
) -> int:
    """Recompute the stored scores of the project's submissions; return how many changed.

    With `codes` (a weights change), only submissions with open flags of those codes can change
    and only they are read. Runs in batches of ids, each in its own transaction, so a million
    submissions neither hold long locks nor fill memory; a flag opened meanwhile refreshes its
    own submission.
    """
    submissions = Submission.objects.filter(project=project)
    if codes is not None:
        codes = list(codes)
        if not codes:
            return 0
        submissions = submissions.filter(
            Exists(
                Flag.objects.filter(submission=OuterRef("pk"), state=FlagState.OPEN, code__in=codes)
            )
        )
    bounds = Submission.objects.filter(project=project).aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    score = risk_annotation(project)
    changed = 0
    for low in range(bounds["low"], bounds["high"] + 1, batch_size):
        batch = submissions.filter(pk__gte=low, pk__lt=low + batch_size)
        with transaction.atomic():
            # Only rows whose score differs are written: no dead tuples for unchanged ones.
            changed += batch.annotate(score=score).exclude(risk=F("score")).update(risk=score)
    return changed


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
