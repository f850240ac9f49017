"""The village look-back review (forms/library/village_review.md): a township or village worker
answers, for one village, whether each of its public works and services has a problem now; each
problem answered yes opens a rectification item of the village, with the measure, the responsible
unit and the department this table gives, the person the form names, and a deadline some days
after the review (docs/rectification.md). The township extends a deadline that is too short.

The problems are the village's exit standards and look-back points of the work plans: seed 001
(贫困村退出: 通硬化道路, 通动力电, 网络宽带覆盖到行政村、学校和卫生室, 安全饮水有保障, 建有合格的
标准化农村卫生室, 有合格的公共服务和活动场所, 适龄儿童有学上), seed 000 (对各村每半年组织开展一次
"回头看",重点防止……基础设施、公共服务滑坡; 水量没保证、水质不达标和工程难持续; 每个村卫生室至少
有1名合格村医; 有集体经济收入), seed 004 (消除村集体经营性收入1万元以下的空壳村) and seed 002
(垃圾、污水和村容村貌; 公益性资产要落实管护主体……落实公告公示制度).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.casework.kinds import RECTIFY
from backend.casework.models import Case, CaseState, CaseTrigger, Kind
from backend.casework.rectification import (
    PROBLEM_GONE,
    Assignment,
    items_found_gone,
    village_item_open,
)
from backend.projects.models import Department
from backend.submissions.models import Submission

# The form's id (its settings sheet): the pipeline reads its problems from these submissions.
VILLAGE_REVIEW_FORM = "village_review"
# The trigger a problem of the review leaves on its item: `review_<problem>`, once per review.
TRIGGER_PREFIX = "review_"


@dataclass(frozen=True)
class VillageProblem:
    """One question of the review and the item a yes opens."""

    code: str  # the form's `<code>_problem`, `<code>_note`
    label: Promise
    measure: Promise
    responsible_unit: Promise
    department: str  # "" when the township answers for it
    # Calendar days from the review to the default deadline.
    days: int


PROBLEMS: tuple[VillageProblem, ...] = (
    VillageProblem(
        "road",
        gettext_lazy("Village road not hardened, damaged or without a bus"),
        gettext_lazy("Harden or repair the road to the village and restore the bus service."),
        gettext_lazy("County transport bureau"),
        Department.TRANSPORT,
        90,
    ),
    VillageProblem(
        "power",
        gettext_lazy("No power of 10 kV or more, or an unreliable supply"),
        gettext_lazy("Connect or upgrade the village's power supply."),
        gettext_lazy("Township government"),
        "",
        90,
    ),
    VillageProblem(
        "water",
        gettext_lazy("Drinking water short, below standard or its works not kept up"),
        gettext_lazy("Repair the water works and test the water until supply and quality hold."),
        gettext_lazy("County water resources bureau"),
        Department.WATER,
        30,
    ),
    VillageProblem(
        "clinic",
        gettext_lazy("No standard clinic or no qualified village doctor"),
        gettext_lazy("Bring the clinic up to standard and post a qualified village doctor."),
        gettext_lazy("County health commission"),
        Department.MEDICAL,
        60,
    ),
    VillageProblem(
        "school",
        gettext_lazy("School-age children without a school they can attend"),
        gettext_lazy("Place every school-age child in a school and arrange the way to it."),
        gettext_lazy("County education bureau"),
        Department.EDUCATION,
        30,
    ),
    VillageProblem(
        "network",
        gettext_lazy("Broadband, radio or television not reaching the village"),
        gettext_lazy("Extend broadband, radio and television to the village, school and clinic."),
        gettext_lazy("Township government"),
        "",
        90,
    ),
    VillageProblem(
        "venue",
        gettext_lazy("No proper venue for public services and activities"),
        gettext_lazy("Provide a venue for the village's public services and activities."),
        gettext_lazy("Township government"),
        "",
        90,
    ),
    VillageProblem(
        "collective",
        gettext_lazy("Collective operating income missing or under 10,000 yuan a year"),
        gettext_lazy("Start or strengthen a collective income project of the village."),
        gettext_lazy("County agriculture bureau"),
        Department.AGRICULTURE,
        180,
    ),
    VillageProblem(
        "environment",
        gettext_lazy("Garbage, sewage or village-appearance problems"),
        gettext_lazy("Clear the garbage, treat the sewage and tidy the village."),
        gettext_lazy("Township government"),
        "",
        30,
    ),
    VillageProblem(
        "assets",
        gettext_lazy("Poverty-alleviation assets without upkeep or not publicly reported"),
        gettext_lazy("Name who keeps each asset up and post the assets' public report."),
        gettext_lazy("Township government"),
        "",
        30,
    ),
)


def is_village_review(form_id: str) -> bool:
    """Whether a submission of this form (its XML's form id, which intake matched to the form)
    is a village look-back review."""
    return form_id == VILLAGE_REVIEW_FORM


@transaction.atomic
def village_review_items_open(
    *, submission: Submission, fields: Mapping[str, object]
) -> list[Case]:
    """Open a rectification item of the submission's village for each problem the review
    answered yes; return the new items. Run by the pipeline in the merge's transaction after
    the village is known (in the sender's scope): a review of no village opens nothing, and a
    problem already opened from this review is not opened again."""
    if submission.village is None:
        return []
    done = set(
        CaseTrigger.objects.filter(
            submission=submission, code__startswith=TRIGGER_PREFIX
        ).values_list("code", flat=True)
    )
    start = max(timezone.localdate(submission.created_at), timezone.localdate())
    opened = []
    with translation.override(settings.LANGUAGE_CODE):  # the offices read the item's words
        for problem in PROBLEMS:
            code = TRIGGER_PREFIX + problem.code
            if fields.get(f"{problem.code}_problem") != "yes" or code in done:
                continue
            opened.append(
                village_item_open(
                    project=submission.project,
                    village=submission.village,
                    actor=None,
                    problem=_problem_text(problem, fields),
                    assignment=_assignment(problem, fields, start + timedelta(days=problem.days)),
                    submission=submission,
                    trigger_code=code,
                )
            )
    return opened


@transaction.atomic
def village_review_items_follow(
    *, submission: Submission, fields: Mapping[str, object]
) -> list[Case]:
    """The village's items, opened by an earlier review, whose problem this review answers no
    to (the problem is gone) pass from the responsible party to the township's first check:
    never straight to struck off. Once per review."""
    if submission.village is None:
        return []
    gone = [
        TRIGGER_PREFIX + problem.code
        for problem in PROBLEMS
        if fields.get(f"{problem.code}_problem") == "no"
    ]
    items = (
        Case.objects.filter(
            project=submission.project,
            kind=Kind.RECTIFICATION,
            village=submission.village,
            state=CaseState.OPEN,
            step=RECTIFY.code,
            triggers__code__in=gone,
        )
        .exclude(triggers__code=PROBLEM_GONE, triggers__submission=submission)
        .distinct()
    )
    return items_found_gone(items, submission, comment=_gone_note(submission))


def _gone_note(submission: Submission) -> str:
    """The pass's comment, in the project's language (the offices read it)."""
    seen = timezone.localdate(submission.ended_at or submission.created_at)
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "A look-back review on %(date)s found the problem gone; the township checks it."
        ) % {"date": formats.date_format(seen, "DATE_FORMAT")}


def _problem_text(problem: VillageProblem, fields: Mapping[str, object]) -> str:
    note = str(fields.get(f"{problem.code}_note") or "").strip()
    return f"{problem.label}: {note}" if note else str(problem.label)


def _assignment(
    problem: VillageProblem, fields: Mapping[str, object], deadline: date
) -> Assignment:
    person = next(
        (
            str(fields[key]).strip()
            for key in ("responsible_person", "reviewer")
            if str(fields.get(key) or "").strip()
        ),
        _("Village committee head"),
    )
    return Assignment(
        measure=str(problem.measure),
        responsible_unit=str(problem.responsible_unit),
        responsible_person=person[:100],
        deadline=deadline,
        department=problem.department,
    )
