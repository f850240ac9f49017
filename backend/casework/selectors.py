"""The casework's reads: what waits for a person, overdue first, and a case's timeline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case as Switch
from django.db.models import Count, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from backend.accounts.access import Actor, project_role
from backend.areas.models import Level
from backend.casework.access import case_levels, cases_for_actor, may_decide
from backend.casework.models import (
    Case,
    CaseAttachment,
    CaseState,
    CaseStep,
    CaseTrigger,
    NoticeObjection,
)
from backend.casework.verification import unverified_findings
from backend.core.errors import NotFound
from backend.projects.models import Project, Role

# A case overdue at a level is also listed at the level above (the county's own stay with it).
LEVEL_BELOW: dict[str, str] = {Level.TOWNSHIP: Level.VILLAGE, Level.COUNTY: Level.TOWNSHIP}


def cases_waiting_for(*, actor: Actor, project: Project, today: date) -> QuerySet[Case]:
    """The open cases whose waiting step the actor decides, and those overdue one level below
    in the actor's areas; the earliest due first, so the overdue lead. Each row says whether it
    is `overdue`, and whether it is listed only because it is overdue below (`escalated`)."""
    levels = case_levels(actor, project)
    own, below = Q(pk__in=[]), Q(pk__in=[])
    for level in levels.areas:
        own |= Q(level=level) & levels.where(level)
        if level in LEVEL_BELOW:
            below |= Q(level=LEVEL_BELOW[level], due_on__lt=today) & levels.where(level)
    return (
        Case.objects.filter(project=project, state=CaseState.OPEN)
        .filter(own | below)
        .annotate(
            overdue=_flag(Q(due_on__lt=today)),
            escalated=Switch(When(own, then=Value(False)), default=Value(True)),
        )
        .select_related("household", "household__village", "village")
        .order_by("due_on", "pk")
    )


def _flag(condition: Q) -> Switch:
    return Switch(When(condition, then=Value(True)), default=Value(False))


def case_timeline(case: Case) -> list[CaseStep]:
    """Every pass of the case through its steps, in order, with who decided and why."""
    return list(
        case.steps.select_related("actor", "returned_by", "returned_by__actor").order_by(
            "created_at", "id"
        )
    )


def returned_reason(case: Case) -> str:
    """Why the level above sent the case back to the step it waits at ("" when it did not)."""
    waiting = case.steps.filter(decision="").select_related("returned_by").first()
    if waiting is None or waiting.returned_by is None:
        return ""
    return waiting.returned_by.comment


@dataclass(frozen=True)
class CaseDetail:
    """One case as a reader sees it: its timeline, what asked for it, the objections to its
    notice, its documents, and whether the reader decides its waiting step."""

    case: Case
    reason: str
    returned_reason: str
    may_decide: bool
    steps: list[CaseStep]
    triggers: list[CaseTrigger]
    objections: list[NoticeObjection]
    documents: list[CaseAttachment]
    # What the departments found that waits to be verified (casework/verification.py), a
    # sentence each with the department and the date of its file; empty for field workers, who
    # do not read department records.
    department_checks: list[str]


def case_detail(case: Case, *, actor: Actor) -> CaseDetail:
    """The case with everything its page shows, for this reader. An interface that shows
    `department_checks` records the view in the access log (view_dept)."""
    return CaseDetail(
        case=case,
        reason=case.reason,
        returned_reason=returned_reason(case),
        may_decide=may_decide(actor, case),
        steps=case_timeline(case),
        triggers=list(case.triggers.select_related("flag").order_by("created_at", "id")),
        objections=list(case.objections.order_by("received_on", "id")),
        documents=list(case.attachments.order_by("created_at", "id")),
        department_checks=_department_checks(case, actor),
    )


def _department_checks(case: Case, actor: Actor) -> list[str]:
    if case.household is None or project_role(actor, case.project) not in (
        Role.SUPERVISOR,
        Role.ADMIN,
    ):
        return []  # a village's item has no department records; only offices read them
    return unverified_findings(case.household)


@dataclass(frozen=True)
class CaseFilters:
    """What a list of cases is narrowed to; empty means any."""

    state: str = ""
    level: str = ""
    kind: str = ""
    village: str = ""  # the village's code
    overdue: bool = False


def cases_listed(
    *, actor: Actor, project: Project, filters: CaseFilters, today: date
) -> QuerySet[Case]:
    """The cases the actor may see, narrowed by `filters`, each saying whether it is overdue."""
    cases = cases_for_actor(actor=actor, project=project)
    for field, value in (
        ("state", filters.state),
        ("level", filters.level),
        ("kind", filters.kind),
    ):
        if value:
            cases = cases.filter(**{field: value})
    if filters.village:
        cases = cases.filter(
            Q(household__village__code=filters.village) | Q(village__code=filters.village)
        )
    if filters.overdue:
        cases = cases.filter(state=CaseState.OPEN, due_on__lt=today)
    return cases.annotate(overdue=_flag(Q(state=CaseState.OPEN, due_on__lt=today))).select_related(
        "household", "household__village", "village"
    )


def case_document(case: Case, document_id: int | str) -> CaseAttachment:
    """One document of a case the reader may see (NotFound for another case's)."""
    try:
        key = int(document_id)
    except (TypeError, ValueError):
        raise NotFound(_("Document not found.")) from None
    document = case.attachments.filter(pk=key).first() if 0 < key < 2**63 else None
    if document is None:
        raise NotFound(_("Document not found."))
    return document


def case_objection(case: Case, objection_id: int | str) -> NoticeObjection:
    """One objection to a case's notice (NotFound for another case's)."""
    try:
        key = int(objection_id)
    except (TypeError, ValueError):
        raise NotFound(_("Objection not found.")) from None
    objection = case.objections.filter(pk=key).first() if 0 < key < 2**63 else None
    if objection is None:
        raise NotFound(_("Objection not found."))
    return objection


@dataclass(frozen=True)
class CaseCount:
    """How many cases of one kind, state and level a village has, and how many are overdue."""

    village_id: int
    kind: str
    state: str
    level: str
    cases: int
    overdue: int


def case_counts(cases: QuerySet[Case], *, today: date) -> list[CaseCount]:
    """The cases counted by village, kind, state and level (one grouped query): the dashboard's
    tiles and the export's summary add these up."""
    rows = (
        cases.order_by()
        .annotate(area_id=Coalesce("household__village_id", "village_id"))
        .values("area_id", "kind", "state", "level")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(state=CaseState.OPEN, due_on__lt=today)),
        )
    )
    return [
        CaseCount(
            row["area_id"],
            row["kind"],
            row["state"],
            row["level"],
            row["n"],
            row["late"],
        )
        for row in rows
    ]


def case_ids_of_flags(*, flag_ids: list[int]) -> dict[int, int]:
    """The rectification item opened for each of these flags, by flag id (one query; none when
    there are no flags). The caller passes flags its reader may see, so their items are of
    households the reader sees; the case page checks its own access when the link is followed."""
    if not flag_ids:
        return {}
    return dict(Case.objects.filter(flag_id__in=flag_ids).values_list("flag_id", "pk"))
