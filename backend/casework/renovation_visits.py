"""How a merged visit of the housing inspection form (forms/library/housing_inspection.md) feeds
the household's renovation: run in the pipeline's `cases` step, once per visit.

- A before visit of a house with no renovation under way opens one at its appraisal, the
  visit's grade, date and appraiser recorded; on an open one it fills in what the appraisal has
  not recorded yet.
- A visit of the stage the renovation waits at (before, during, a passing after) passes that
  step on the system's word; the offices still decide the appraisal, the plan and both
  acceptances.
- A visit of a stage ahead of the waiting step is kept but passes nothing, and opens the flag
  `reno_case_out_of_order` naming both stages: a visit is never refused once sent. A during
  or after visit with no renovation under way opens nothing (the registry's checks judge it).
"""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from backend.casework.errors import CaseRecordInvalid
from backend.casework.kinds import APPRAISAL, step_position, step_spec
from backend.casework.models import Case, CaseState, Kind, TriggerSource
from backend.casework.renovation import renovation_create
from backend.casework.renovation_models import RenovationVisit, Stage
from backend.casework.requirements import clean_record, merged_record
from backend.casework.services import Trigger, case_step_pass
from backend.flags.services import flag_open
from backend.households.models import Household
from backend.submissions.models import Submission

OUT_OF_ORDER = "reno_case_out_of_order"
# The form's renovation statuses (its calculate `reno_status`) and the stage each records.
_STATUS_STAGES = {
    "appraised": Stage.BEFORE,
    "in_progress": Stage.DURING,
    "accepted": Stage.AFTER,
    "rectify": Stage.AFTER,
    "failed": Stage.AFTER,
}


def household_renovation_follow(*, household: Household, submission: Submission) -> Case | None:
    """Record what this inspection visit says about the household's renovation; the case it
    touched, if any."""
    # The visit's own answer, not what the registry took of it: an acceptance the merge
    # withheld (the helper's "after / pass") still records the works as done on the case,
    # whose acceptance is the offices'.
    fields = submission.fields or {}
    stage = _STATUS_STAGES.get(str(fields.get("reno_status") or ""))
    if stage is None:
        return None
    case = household.cases.filter(kind=Kind.RENOVATION, state=CaseState.OPEN).first()
    if case is None and stage != Stage.BEFORE:
        # No renovation to put it in: the registry's own checks judge an acceptance with no
        # appraisal or construction on record (reno_acceptance_refused, reno_stage_skipped).
        return None
    if case is None:
        trigger = Trigger(TriggerSource.VISIT, code="housing_before", submission=submission)
        case, _opened = renovation_create(household, trigger, record=_appraisal(fields))
    if RenovationVisit.objects.filter(case=case, submission=submission).exists():
        return case  # this visit was read already
    ahead = step_position(Kind.RENOVATION, stage) > step_position(Kind.RENOVATION, case.step)
    # A before visit belongs to the appraisal and the plan: not ahead of them.
    out_of_order = ahead and not (stage == Stage.BEFORE and case.step in ("appraisal", "plan"))
    RenovationVisit.objects.create(
        case=case, submission=submission, stage=stage, out_of_order=out_of_order
    )
    if out_of_order:
        _flag(household, submission, stage, waiting=case.step)
    elif case.step == APPRAISAL.code and stage == Stage.BEFORE:
        _fill_appraisal(case, fields)
    elif case.step == stage and _passes(stage, fields):
        values = _stage_values(stage, fields, submission)
        case_step_pass(case=case, comment=_seen_note(submission), values=values)
    return case


def _appraisal(fields: dict[str, object]) -> dict[str, object]:
    values = {
        "grade": fields.get("plan/grade_before"),
        "appraised_on": fields.get("plan/appraisal_date"),
        "appraised_by": fields.get("plan/appraisal_org"),
    }
    try:
        return clean_record(APPRAISAL, {k: v for k, v in values.items() if v not in (None, "")})
    except CaseRecordInvalid:
        return {}


def _fill_appraisal(case: Case, fields: dict[str, object]) -> None:
    """Fill in what the waiting appraisal has not recorded (a person's record wins)."""
    row = case.steps.get(decision="")
    found = {k: v for k, v in _appraisal(fields).items() if row.record.get(k) in (None, "")}
    if found:
        row.record = merged_record(row.record, found)
        row.save(update_fields=["record", "updated_at"])


def _passes(stage: str, fields: dict[str, object]) -> bool:
    """An after visit passes the stage only when it found the works done (result pass)."""
    return stage != Stage.AFTER or fields.get("after/result") == "pass"


def _stage_values(
    stage: str, fields: dict[str, object], submission: Submission
) -> dict[str, object]:
    seen = timezone.localdate(submission.ended_at or submission.created_at).isoformat()
    values: dict[str, object] = {"seen_on": seen}
    if stage == Stage.DURING:
        values["progress"] = fields.get("during/progress") or None
    if stage == Stage.AFTER:
        values["grade_after"] = fields.get("after/grade_after") or None
    spec = step_spec(Kind.RENOVATION, stage)
    try:
        return clean_record(spec, values)
    except CaseRecordInvalid:
        return {"seen_on": seen}


def _seen_note(submission: Submission) -> str:
    """The pass's comment, in the project's language (the offices read it)."""
    seen = timezone.localdate(submission.ended_at or submission.created_at)
    with translation.override(settings.LANGUAGE_CODE):
        return _("An inspection visit on %(date)s recorded this stage.") % {
            "date": formats.date_format(seen, "DATE_FORMAT")
        }


def _flag(household: Household, submission: Submission, stage: str, *, waiting: str) -> None:
    """The visit came before the stages it needs: a flag naming both, in the project's
    language (the offices read it)."""
    with translation.override(settings.LANGUAGE_CODE):
        evidence: dict[str, object] = {
            "stage": str(Stage(stage).label),
            "waiting": str(step_spec(Kind.RENOVATION, waiting).label),
        }
    flag_open(household=household, code=OUT_OF_ORDER, evidence=evidence, submission=submission)
