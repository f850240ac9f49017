"""What one household's file (一户一档, seeds 000 and 001) holds, read for one reader: the
household, its members, its income year by year, the checks of every visit, its helper and
measures, its cases with their steps and signatures, its renovation photos by stage, and its
flags with how they closed. Personal data is masked: a file is printed and passed on."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.accounts.access import Actor
from backend.casework.kinds import SIGNATORIES, step_spec
from backend.casework.models import AttachmentRole, Case
from backend.core.display import day
from backend.crosscheck.models import Member
from backend.evidence.models import PhotoEvidence
from backend.flags.catalogue import flag_label
from backend.flags.models import Flag
from backend.flags.selectors import flags_seen_by
from backend.flags.sentences import flag_sentence
from backend.geo.points import parse_geopoint
from backend.households.labels import PropertyLabels, property_labels
from backend.households.models import Household, HouseholdVersion
from backend.projects.models import Project

BASICS = (
    "hh_code", "head_name", "village", "category", "hh_size", "labour_count", "house_grade",
    "dibao", "extreme_poor", "has_disabled", "has_elderly", "relocated", "head_phone",
)  # fmt: skip
INCOME = ("income_pc", "income_net", "spend_medical", "spend_education")
CHECKS = (
    "food_clothing_status", "edu_status", "med_status", "housing_status", "water_status",
    "pension_status",
)  # fmt: skip
STAGE_NAMES = {
    "before": gettext_lazy("before"),
    "during": gettext_lazy("during"),
    "after": gettext_lazy("after"),
}
PHOTOS_PER_STAGE = 6


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class VisitChecks:
    on: datetime
    by: str
    values: list[str]  # in CHECKS' order


@dataclass(frozen=True)
class CaseFile:
    title: str
    state: str
    opened: datetime
    closed: datetime | None
    steps: list[list[str]]  # step, level, decision, who, when, comment
    signatures: list[str]


@dataclass(frozen=True)
class StagePhoto:
    stage: str
    caption: str  # when and where it was taken
    path: str  # the thumbnail's storage name ("" when none)
    submission_id: int
    name: str  # the file's name in its submission


@dataclass
class Dossier:
    household: Household
    basics: list[Line]
    members: list[list[str]]
    incomes: list[list[str]]  # year, then INCOME's values
    income_headings: list[str]
    check_headings: list[str]
    visits: list[VisitChecks]
    helper: str
    measures: str
    cases: list[CaseFile]
    photos: list[StagePhoto]
    flags: list[list[str]]  # problem, opened, closed, how
    made_on: date = field(default_factory=date.today)


def household_dossier(*, actor: Actor, project: Project, household: Household) -> Dossier:
    versions = list(
        household.versions.select_related("submission__submitted_by", "actor")
        .defer("submission__xml")
        .order_by("version")
    )
    villages = {str((v.data or {}).get("village", "")) for v in versions} | {
        household.village.code if household.village else ""
    }
    labels = property_labels(project, villages=villages - {""})
    properties = household.properties or {}
    return Dossier(
        household=household,
        basics=[
            Line(labels.name(key), labels.shown(key, properties.get(key), reveal=False))
            for key in BASICS
            if properties.get(key) not in (None, "")
        ],
        members=_members(household),
        incomes=_incomes(versions, labels),
        income_headings=[_("year"), *(labels.name(key) for key in INCOME)],
        check_headings=[_("visit"), _("by"), *(labels.name(key) for key in CHECKS)],
        visits=_visits(versions, labels),
        helper=str(household.helper) if household.helper else "—",
        measures=labels.value("assistance_measures", properties.get("assistance_measures")) or "—",
        cases=_cases(household),
        photos=_photos(household),
        flags=_flags(actor, project, household),
    )


def _members(household: Household) -> list[list[str]]:
    return [
        [
            str(m.position),
            m.name,
            m.relation,
            str(m.birth.year) if m.birth else "",
            m.get_status_display(),
        ]
        for m in Member.objects.filter(household=household).order_by("position")
    ]


def _incomes(versions: list[HouseholdVersion], labels: PropertyLabels) -> list[list[str]]:
    """The last recorded income of each year, newest year first."""
    by_year: dict[str, dict[str, object]] = {}
    for version in versions:
        data = version.data or {}
        year = str(data.get("income_year") or "")
        if year and data.get("income_pc") not in (None, ""):
            by_year[year] = data
    return [
        [year, *(labels.shown(key, data.get(key), reveal=False) for key in INCOME)]
        for year, data in sorted(by_year.items(), reverse=True)
    ]


def _visits(versions: list[HouseholdVersion], labels: PropertyLabels) -> list[VisitChecks]:
    rows = []
    for version in versions:
        received = version.received or {}
        if version.submission_id is None or not any(key in received for key in CHECKS):
            continue
        data = version.data or {}
        by = str(version.submission.submitted_by or "") if version.submission else ""
        rows.append(
            VisitChecks(
                on=version.created_at,
                by=by,
                values=[labels.shown(key, data.get(key), reveal=False) for key in CHECKS],
            )
        )
    return rows[::-1]


def _cases(household: Household) -> list[CaseFile]:
    files = []
    for case in Case.objects.filter(household=household).order_by("created_at"):
        steps = [
            [
                str(step_spec(case.kind, row.step).label),
                row.get_level_display(),
                row.get_decision_display() if row.decision else _("waiting"),
                str(row.actor or ""),
                day(row.decided_at) if row.decided_at else "",
                row.comment,
            ]
            for row in case.steps.select_related("actor").order_by("created_at", "id")
        ]
        signatures = [
            f"{SIGNATORIES.get(doc.signer_role, doc.signer_role)}: {doc.signer_name or '—'}"
            for doc in case.attachments.filter(role=AttachmentRole.SIGNATURE).order_by("created_at")
        ]
        category = f" → {case.get_category_display()}" if case.category else ""
        files.append(
            CaseFile(
                title=f"{case.get_kind_display()}{category}",
                state=case.get_state_display(),
                opened=case.created_at,
                closed=case.closed_at,
                steps=steps,
                signatures=signatures,
            )
        )
    return files


def _photos(household: Household) -> list[StagePhoto]:
    """The renovation's photos by stage (the inspections' `stage`), a few of each, with when and
    where each was taken; thumbnails only (a file is printed, not zoomed)."""
    evidence = (
        PhotoEvidence.objects.filter(household=household, decodable=True)
        .select_related("submission", "attachment")
        .order_by("taken_at", "pk")
    )
    photos: list[StagePhoto] = []
    counts: dict[str, int] = {}
    for item in evidence:
        stage = str((item.submission.fields or {}).get("stage", ""))
        if stage not in STAGE_NAMES or counts.get(stage, 0) >= PHOTOS_PER_STAGE:
            continue
        counts[stage] = counts.get(stage, 0) + 1
        when, where = _when_where(item)
        photos.append(
            StagePhoto(
                str(STAGE_NAMES[stage]),
                f"{when} · {where}",
                item.thumb_small,
                item.submission_id,
                item.attachment.name,
            )
        )
    order = [str(name) for name in STAGE_NAMES.values()]
    return sorted(photos, key=lambda p: order.index(p.stage) if p.stage in order else 9)


def _flags(actor: Actor, project: Project, household: Household) -> list[list[str]]:
    flags = flags_seen_by(
        list(Flag.objects.filter(household=household).order_by("created_at")),
        actor=actor,
        project=project,
    )
    return [
        [
            flag_label(flag.code, project.pk),
            flag_sentence(flag),
            day(flag.created_at),
            day(flag.closed_at) if flag.closed_at else _("still open"),
            flag.note or (_("closed by a later visit") if flag.closed_by_submission_id else ""),
        ]
        for flag in flags
    ]


def _when_where(item: PhotoEvidence) -> tuple[str, str]:
    """When and where the photo was taken: its EXIF, else the visit's end and the place the
    phone recorded with the photo (the question's `_gps` answer)."""
    fields = item.submission.fields or {}
    moment = item.taken_at or item.submission.ended_at or item.submission.created_at
    when = (
        formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        if moment
        else _("time unknown")
    )
    latitude, longitude = item.latitude, item.longitude
    if latitude is None or longitude is None:
        # The evidence names the question by its path (/data/before/photo_before), the
        # answers without the root (before/photo_before_gps).
        answer = fields.get(f"{item.field.removeprefix('/').partition('/')[2]}_gps")
        point = parse_geopoint(answer) if isinstance(answer, str) else None
        latitude, longitude = (point.latitude, point.longitude) if point else (None, None)
    if latitude is None or longitude is None:
        return when, _("place unknown")
    return when, f"{latitude:.5f}, {longitude:.5f}"
