"""The kinds of case and their steps, as data: the engine (services.py) walks these tables and
has no path of its own for any kind. docs/casework.md shows them with the work plans' words.

A step names its level (who decides it), how many working days it has, what it records, the
documents and signatures its approval needs, and whether it holds the village's public notice
or waits for the notice to end.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.areas.models import Level
from backend.casework.models import AttachmentRole, Kind
from backend.households.models import Category

MONITORED = (Category.MONITOR_UNSTABLE, Category.MONITOR_MARGINAL, Category.MONITOR_SUDDEN)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    # "text", "count" (a whole number, 0 or more), "date" (YYYY-MM-DD) or "choice" (one of
    # `choices`' codes).
    type: str
    label: Promise
    choices: tuple[tuple[str, Promise], ...] = ()
    # Not asked for by the approval (a reason only some records need: kinds' own checks).
    optional: bool = False

    def shown(self, value: object) -> object:
        """The value as people read it: a choice by its label."""
        return str(dict(self.choices).get(str(value), value)) if self.choices else value


@dataclass(frozen=True)
class StepSpec:
    code: str
    level: str
    label: Promise
    # Working days from the day the case reaches the step; for a notice step, from the day the
    # notice ends once its dates are recorded.
    days: int
    fields: tuple[FieldSpec, ...] = ()
    documents: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    # The village's public notice is posted and closed in this step (its dates, the photo of
    # the board, the objections).
    notice: bool = False
    # The record holds the vote of a democratic appraisal: approved only by a majority of those
    # present.
    appraisal: bool = False
    # Approved only once the public notice has ended and its objections are handled.
    after_notice: bool = False
    # The date field of the record that is the step's due date once recorded (a rectification's
    # deadline, 完成时限), instead of the working days.
    deadline: str = ""
    # Worked by whoever the item is handed to: besides its level, the staff of the item's
    # department record and approve it.
    responsible: bool = False
    # A renovation's inspection stage (renovation_models.Stage) this step records: approved
    # with a visit of that stage or a photo of the house on record.
    stage: str = ""
    # Never decided by the household's own helper (an acceptance: nobody accepts their own work).
    independent: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: str
    steps: tuple[StepSpec, ...]
    # The categories a case of this kind may give the household (empty: it keeps its own).
    categories: tuple[str, ...]
    seed: str
    quote: str
    # The step whose approval waits while the departments' records of the household are not
    # verified (the comparison, 一比对, of seed 003); "" for a kind without it.
    records_verified_at: str = ""


# Who signs, as the work plans name them (seed 001, the exit of a household).
SIGNATORIES: dict[str, Promise] = {
    "village_secretary": _("Village party secretary"),
    "village_head": _("Village committee head"),
    "first_secretary": _("First secretary of the village"),
    "checker": _("Household checker"),
    "household": _("The household"),
    "township_secretary": _("Township party secretary"),
    "township_head": _("Township head"),
    "township_leader": _("Township leader in charge"),
    "poverty_station": _("Head of the poverty-alleviation station or its officer"),
    "county_secretary": _("County party secretary"),
    "county_head": _("County head"),
    "county_leader": _("County leader in charge"),
    "poverty_office": _("Director of the poverty-alleviation office"),
    "statistics": _("Director of the statistics bureau"),
}

_CHECKED_ON = FieldSpec("checked_on", "date", _("Checked on"))
_APPRAISAL = (
    FieldSpec("appraised_on", "date", _("Appraisal held on")),
    FieldSpec("attendance", "count", _("People present")),
    FieldSpec("votes_for", "count", _("Votes in favour")),
    FieldSpec("votes_against", "count", _("Votes against")),
    FieldSpec("minutes", "text", _("Minutes")),
)
_NOTICE = (
    FieldSpec("notice_starts_on", "date", _("Notice starts on")),
    FieldSpec("notice_ends_on", "date", _("Notice ends on")),
    FieldSpec("notice_place", "text", _("Where the notice was posted")),
)
_OPINION = FieldSpec("opinion", "text", _("Opinion"))
_ANNOUNCED_ON = FieldSpec("announced_on", "date", _("Announced on"))

_VILLAGE, _TOWNSHIP, _COUNTY = Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY

# A rectification item (seed 001: 明确目标任务、标准要求、完成时限、责任人员; 经乡镇初核,县级核查组
# 进行复核): the responsible party works it, the township checks it first and the county again
# before it is struck off. The opening records the measure, who is responsible and the deadline.
RECTIFY_FIELDS = (
    FieldSpec("measure", "text", _("Rectification measure")),
    FieldSpec("responsible_unit", "text", _("Responsible unit")),
    FieldSpec("responsible_person", "text", _("Responsible person")),
    FieldSpec("deadline", "date", _("Deadline")),
    FieldSpec("progress", "text", _("What was done")),
    FieldSpec("done_on", "date", _("Finished on")),
)
_CHECK = (_CHECKED_ON, _OPINION)
RECTIFY = StepSpec(
    "rectify",
    _VILLAGE,
    _("Rectification by the responsible party"),
    20,
    fields=RECTIFY_FIELDS,
    documents=(AttachmentRole.EVIDENCE,),
    deadline="deadline",
    responsible=True,
)
TOWNSHIP_FIRST_CHECK = StepSpec(
    "township_first_check", _TOWNSHIP, _("Township first check"), 5, fields=_CHECK
)
COUNTY_RECHECK = StepSpec("county_recheck", _COUNTY, _("County re-check"), 5, fields=_CHECK)

HOUSEHOLD_CHECK = StepSpec(
    "household_check",
    _VILLAGE,
    _("Household check with signed consent"),
    5,
    fields=(_CHECKED_ON,),
    documents=(AttachmentRole.CONSENT,),
)
VILLAGE_APPRAISAL = StepSpec(
    "village_appraisal",
    _VILLAGE,
    _("Village democratic appraisal"),
    5,
    fields=_APPRAISAL,
    appraisal=True,
)
VILLAGE_NOTICE = StepSpec(
    "village_notice",
    _VILLAGE,
    _("Village public notice"),
    3,
    fields=_NOTICE,
    documents=(AttachmentRole.NOTICE_PHOTO,),
    notice=True,
    after_notice=True,
)
TOWNSHIP_REVIEW = StepSpec(
    "township_review", _TOWNSHIP, _("Township review"), 5, fields=(_OPINION,)
)
COUNTY_APPROVAL = StepSpec(
    "county_approval",
    _COUNTY,
    _("County approval and announcement"),
    5,
    fields=(_ANNOUNCED_ON,),
    after_notice=True,
)

HOUSEHOLD_SURVEY = StepSpec(
    "household_survey",
    _VILLAGE,
    _("Household survey with the double-confirmation form"),
    5,
    fields=(_CHECKED_ON,),
    documents=(AttachmentRole.CONFIRMATION,),
)
VILLAGE_APPRAISAL_NOTICE = StepSpec(
    "village_appraisal_notice",
    _VILLAGE,
    _("Village appraisal and public notice"),
    3,
    fields=(*_APPRAISAL, *_NOTICE),
    documents=(AttachmentRole.NOTICE_PHOTO,),
    signatories=("village_secretary", "village_head", "first_secretary", "checker", "household"),
    notice=True,
    appraisal=True,
    after_notice=True,
)
TOWNSHIP_CHECK = StepSpec(
    "township_check",
    _TOWNSHIP,
    _("Township check and announcement"),
    5,
    fields=(_OPINION, _ANNOUNCED_ON),
    signatories=("township_secretary", "township_head", "township_leader", "poverty_station"),
)
COUNTY_ELIMINATION = StepSpec(
    "county_elimination",
    _COUNTY,
    _("County approval of the elimination"),
    5,
    fields=(_OPINION,),
    signatories=(
        "county_secretary",
        "county_head",
        "county_leader",
        "poverty_office",
        "statistics",
    ),
    after_notice=True,
)

# A dangerous-house renovation (seeds 000, 001, 002): appraised (grade, report), planned
# (原则上C级危房加固维修,D级危房确无加固维修价值的,应拆除重建), photographed before, during and
# after the works, then accepted by the township and the county, never by the household's helper.
GRADES = (("C", _("C: partly dangerous")), ("D", _("D: whole building dangerous")))
GRADES_AFTER = (("A", _("A: safe")), ("B", _("B: basically safe")))
METHODS = (
    ("reinforce", _("Repair and reinforce")),
    ("rebuild", _("Demolish and rebuild on site")),
    ("new_site", _("Build on a new site")),
    ("no_house", _("New house for a household without one")),
)
PROGRESS = (
    ("foundation", _("Foundation")),
    ("structure", _("Main structure")),
    ("roof", _("Roof")),
    ("finishing", _("Finishing")),
)
REINFORCE = "reinforce"
_SEEN_ON = FieldSpec("seen_on", "date", _("Inspected on"))
APPRAISAL = StepSpec(
    "appraisal",
    _VILLAGE,
    _("Appraisal of the dangerous house"),
    10,
    fields=(
        FieldSpec("grade", "choice", _("Appraised grade"), choices=GRADES),
        FieldSpec("appraised_on", "date", _("Appraised on")),
        FieldSpec("appraised_by", "text", _("Appraised by (unit or technician)")),
    ),
    documents=(AttachmentRole.APPRAISAL_REPORT,),
)
PLAN = StepSpec(
    "plan",
    _VILLAGE,
    _("Renovation plan"),
    10,
    fields=(
        FieldSpec("method", "choice", _("Renovation method"), choices=METHODS),
        FieldSpec(
            "method_reason", "text", _("Why a grade-C house is not reinforced"), optional=True
        ),
        FieldSpec("move_in_by", "date", _("Move in by")),
    ),
)
BEFORE = StepSpec("before", _VILLAGE, _("Before the works"), 10, fields=(_SEEN_ON,), stage="before")
DURING = StepSpec(
    "during",
    _VILLAGE,
    _("During the works"),
    60,
    fields=(
        FieldSpec("progress", "choice", _("Construction progress"), choices=PROGRESS),
        _SEEN_ON,
    ),
    stage="during",
)
AFTER = StepSpec(
    "after",
    _VILLAGE,
    _("After the works"),
    30,
    fields=(
        FieldSpec("grade_after", "choice", _("Grade after the works"), choices=GRADES_AFTER),
        _SEEN_ON,
    ),
    stage="after",
)
TOWNSHIP_ACCEPTANCE = StepSpec(
    "township_acceptance", _TOWNSHIP, _("Township acceptance"), 10, fields=_CHECK, independent=True
)
COUNTY_ACCEPTANCE = StepSpec(
    "county_acceptance", _COUNTY, _("County acceptance"), 10, fields=_CHECK, independent=True
)

_INCLUSION_STEPS = (
    HOUSEHOLD_CHECK,
    VILLAGE_APPRAISAL,
    VILLAGE_NOTICE,
    TOWNSHIP_REVIEW,
    COUNTY_APPROVAL,
)

KINDS: dict[str, KindSpec] = {
    Kind.INCLUSION: KindSpec(
        Kind.INCLUSION,
        _INCLUSION_STEPS,
        MONITORED,
        "003, 002",
        "要经农户申请、村民主评议,“两公示一比对一公告”等识别程序核查核实后,纳入建档立卡管理,"
        "做到“应纳尽纳”",
        records_verified_at=COUNTY_APPROVAL.code,
    ),
    Kind.ELIMINATION: KindSpec(
        Kind.ELIMINATION,
        (HOUSEHOLD_SURVEY, VILLAGE_APPRAISAL_NOTICE, TOWNSHIP_CHECK, COUNTY_ELIMINATION),
        (),
        "001",
        "入户调查…《贫困户脱贫销号双认定表》；村评议公示…公示期满,如无异议…签字确认；"
        "乡镇核查公告；县审定销号",
    ),
    Kind.RETURN_TO_POVERTY: KindSpec(
        Kind.RETURN_TO_POVERTY,
        _INCLUSION_STEPS,
        (Category.REGISTERED_POOR, Category.MONITOR_UNSTABLE),
        "003",
        "将脱贫成效不稳固的脱贫人口、返贫人口做返贫处理,重新纳入扶持范围予以继续扶持",
        records_verified_at=COUNTY_APPROVAL.code,
    ),
    Kind.CATEGORY_CHANGE: KindSpec(
        Kind.CATEGORY_CHANGE,
        (HOUSEHOLD_CHECK, VILLAGE_APPRAISAL, TOWNSHIP_REVIEW, COUNTY_APPROVAL),
        tuple(Category.values),
        "002",
        "分层分类及时纳入帮扶范围",
    ),
    Kind.RECTIFICATION: KindSpec(
        Kind.RECTIFICATION,
        (RECTIFY, TOWNSHIP_FIRST_CHECK, COUNTY_RECHECK),
        (),
        "001, 000, 004",
        "明确目标任务、标准要求、完成时限、责任人员；建立到户、到村问题台账,经乡镇初核,县级核查组"
        "进行复核；对达不到安全要求的及时整改",
    ),
    Kind.RENOVATION: KindSpec(
        Kind.RENOVATION,
        (APPRAISAL, PLAN, BEFORE, DURING, AFTER, TOWNSHIP_ACCEPTANCE, COUNTY_ACCEPTANCE),
        (),
        "000, 001, 002",
        "原则上C级危房加固维修,D级危房确无加固维修价值的,应拆除重建；确保新增4类重点对象危房全部清零；"
        "组织开展工程质量“回头看”",
    ),
}


def kind_spec(kind: str) -> KindSpec:
    return KINDS[kind]


def step_spec(kind: str, code: str) -> StepSpec:
    """The step of this kind with this code (KeyError for one the kind does not have)."""
    for spec in KINDS[kind].steps:
        if spec.code == code:
            return spec
    raise KeyError(code)


def step_position(kind: str, code: str) -> int:
    return [spec.code for spec in KINDS[kind].steps].index(code)


def return_target(kind: str, code: str) -> StepSpec | None:
    """Where a return from this step goes: the last step of the level below, or the step before
    within the lowest level; None from the first step (there is nothing to return to)."""
    steps = KINDS[kind].steps
    position = step_position(kind, code)
    if position == 0:
        return None
    here = steps[position].level
    below = [spec for spec in steps[:position] if spec.level != here]
    return below[-1] if below else steps[position - 1]


def notice_step(kind: str) -> StepSpec | None:
    """The step that holds the kind's public notice, if it has one."""
    return next((spec for spec in KINDS[kind].steps if spec.notice), None)
