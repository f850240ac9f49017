"""What the engine asks of a renovation's steps beyond their records (docs/renovation.md):
nobody accepts their own work, a grade-C house not reinforced says why, a stage is approved
with its visit or a photo of the house; and the columns an approval fills in."""

from datetime import date

from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.casework.errors import CaseStepIncomplete, OwnHelperRefused
from backend.casework.kinds import APPRAISAL, PLAN, REINFORCE, StepSpec
from backend.casework.models import AttachmentRole, Case, CaseStep, Kind
from backend.casework.renovation_models import Renovation, RenovationVisit


def require_independent(case: Case, spec: StepSpec, actor: User | None) -> None:
    """Refuse an acceptance by the household's own helper."""
    if not spec.independent or actor is None or case.household is None:
        return
    if case.household.helper_id == actor.pk:
        raise OwnHelperRefused(
            _(
                "The household's own helper cannot accept its renovation: the township and the "
                "county accept it, each by someone else."
            )
        )


def renovation_problems(case: Case, spec: StepSpec, row: CaseStep) -> None:
    """Refuse the approval of a plan or a stage that lacks what the renovation needs."""
    if case.kind != Kind.RENOVATION:
        return
    problems: list[str] = []
    if spec.code == PLAN.code:
        problems += plan_problems(appraised_grade(case), row.record)
    if spec.stage and not _stage_seen(case, spec):
        problems.append(
            _("No visit of this stage and no photo of the house is on record for %(step)s.")
            % {"step": spec.label}
        )
    if problems:
        raise CaseStepIncomplete(_("The step cannot be approved yet."), details=problems)


def plan_problems(grade: str, record: dict[str, object]) -> list[str]:
    """A grade-C house is reinforced unless the plan says why not (seed 002: 原则上C级危房加固
    维修); the move-in deadline is not before the plan."""
    method, reason = record.get("method"), str(record.get("method_reason") or "").strip()
    if grade == "C" and method not in (None, REINFORCE) and not reason:
        return [_("A grade-C house that is not reinforced needs a reason.")]
    return []


def appraised_grade(case: Case) -> str:
    """The grade the appraisal recorded ("" before it)."""
    last = case.steps.filter(step=APPRAISAL.code).order_by("-created_at", "-id").first()
    return str(last.record.get("grade") or "") if last else ""


def _stage_seen(case: Case, spec: StepSpec) -> bool:
    visits = RenovationVisit.objects.filter(case=case, stage=spec.stage, out_of_order=False)
    photos = case.attachments.filter(step=spec.code, role=AttachmentRole.SITE_PHOTO)
    return visits.exists() or photos.exists()


def renovation_step_approved(case: Case, spec: StepSpec, row: CaseStep, today: date) -> None:
    """Keep the renovation's columns: the appraised grade, the plan's method and deadline."""
    if case.kind != Kind.RENOVATION:
        return
    if spec.code == APPRAISAL.code:
        Renovation.objects.filter(case=case).update(grade=str(row.record.get("grade") or ""))
    elif spec.code == PLAN.code:
        move_in_by = row.record.get("move_in_by")
        Renovation.objects.filter(case=case).update(
            method=str(row.record.get("method") or ""),
            move_in_by=date.fromisoformat(move_in_by) if isinstance(move_in_by, str) else None,
        )
