"""Flags as one reader sees them: whether the records a flag's evidence points at (another
submission, another household) are ones the reader may see."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from backend.accounts.access import Actor
from backend.flags.catalogue import names_other_record
from backend.flags.models import Flag, FlagState
from backend.households.access import households_for_actor
from backend.households.models import Household
from backend.households.submission_access import submissions_for_actor
from backend.projects.models import Project
from backend.submissions.models import Submission

if TYPE_CHECKING:  # WithAnnotations[Model, TypedDict] works for mypy only, not at run time
    from django_stubs_ext import WithAnnotations


class _OtherVisible(TypedDict):
    other_visible: bool


def flags_as_seen_by(
    flags: QuerySet[Flag], *, actor: Actor, project: Project
) -> "QuerySet[WithAnnotations[Flag, _OtherVisible]]":
    """The flags, each annotated `other_visible`: False when its evidence names a submission or
    a household the actor may not see (then the evidence is told without identifiers)."""
    other_id = Cast(
        KeyTextTransform("other_submission_id", OuterRef("evidence")), BigIntegerField()
    )
    submission_seen = Q(evidence__other_submission_id__isnull=True) | Exists(
        submissions_for_actor(actor, project).filter(pk=other_id)
    )
    household_seen = (
        Q(evidence__other_household__isnull=True)
        | Q(evidence__other_household="")
        | Exists(
            households_for_actor(actor=actor, project=project).filter(
                code=KeyTextTransform("other_household", OuterRef("evidence"))
            )
        )
    )
    visible = ExpressionWrapper(submission_seen & household_seen, output_field=BooleanField())
    return flags.annotate(other_visible=visible)


def flags_seen_by(flags: list[Flag], *, actor: Actor, project: Project) -> list[Flag]:
    """flags_as_seen_by for flags already read (a page's few): only those whose evidence names
    another record are checked, so a page without such a flag pays no query for it."""
    naming = [flag.pk for flag in flags if names_other_record(flag.evidence or {})]
    seen = (
        dict(
            flags_as_seen_by(
                Flag.objects.filter(pk__in=naming), actor=actor, project=project
            ).values_list("pk", "other_visible")
        )
        if naming
        else {}
    )
    for flag in flags:
        flag.other_visible = seen.get(flag.pk, True)  # type: ignore[attr-defined]
    return flags


def flags_of_households(
    households: QuerySet[Household], *, state: str | None = None
) -> QuerySet[Flag]:
    """The flags of these households (in one state, or any), each with its household."""
    flags = Flag.objects.filter(household__in=households).select_related("household")
    return flags if state is None else flags.filter(state=state)


def flags_found_or_open(*, submission: Submission, household: Household | None) -> QuerySet[Flag]:
    """The flags a submission found (open or closed) and its household's open flags, open first,
    newest first."""
    where = Q(submission=submission)
    if household is not None:
        where |= Q(household=household, state=FlagState.OPEN)
    return (
        Flag.objects.filter(where)
        .select_related("household", "submission", "cleared_by")
        .defer("submission__xml", "submission__fields")
        .order_by("state", "-created_at")
    )


def flag_codes_seen(*, project: Project) -> list[tuple[str, str]]:
    """The codes of the project's flags, with their severities, each pair once."""
    flags = Flag.objects.filter(project=project).order_by()
    return list(flags.values_list("code", "severity").distinct())


def households_flagged(households: QuerySet[Household]) -> int:
    """How many of these households have at least one open flag (a household with three
    problems counts once)."""
    open_flags = Flag.objects.filter(state=FlagState.OPEN, household=OuterRef("pk"))
    return households.filter(Exists(open_flags)).count()
