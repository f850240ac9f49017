from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.flags.catalogue import FLAGS
from backend.flags.models import Flag, FlagState
from backend.flags.risk import submission_risk_refresh
from backend.households.models import Household
from backend.submissions.models import Submission


def flag_open(
    *,
    household: Household,
    code: str,
    evidence: dict[str, object],
    submission: Submission | None,
    severity: str | None = None,
) -> Flag | None:
    """Open the flag unless one with this code is already open (then return None). The
    severity is the catalogue's unless the project's rule sets another."""
    if household.flags.filter(code=code, subject="", state=FlagState.OPEN).exists():
        return None
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                project_id=household.project_id,
                household=household,
                village_id=household.village_id,
                submission=submission,
                code=code,
                severity=severity or FLAGS[code][0],
                evidence=evidence,
            )
            _refresh_risk(flag)
            return flag
    except IntegrityError:
        return None  # another worker opened it a moment ago


@dataclass(frozen=True)
class Opening:
    """A flag to open on a household (flags_open)."""

    household: Household
    code: str
    evidence: dict[str, object]
    severity: str = ""


def flags_open(*, openings: Sequence[Opening], submission: Submission | None) -> list[Flag]:
    """flag_open for each, in one insert: the caller has read, in its transaction, that none of
    them is open. When another worker opened one meanwhile, each is opened on its own and those
    found open are left out. Return the flags opened."""
    if not openings:
        return []
    flags = [
        Flag(
            project_id=opening.household.project_id,
            household=opening.household,
            village_id=opening.household.village_id,
            submission=submission,
            code=opening.code,
            severity=opening.severity or FLAGS[opening.code][0],
            evidence=opening.evidence,
        )
        for opening in openings
    ]
    try:
        with transaction.atomic():
            created = Flag.objects.bulk_create(flags)
    except IntegrityError:
        alone = (
            flag_open(
                household=opening.household,
                code=opening.code,
                evidence=opening.evidence,
                submission=submission,
                severity=opening.severity or None,
            )
            for opening in openings
        )
        return [flag for flag in alone if flag is not None]
    _refresh_risk(created[0])  # they all name the same submission
    return created


def flag_refresh(
    *, flag: Flag, evidence: dict[str, object], submission: Submission | None = None
) -> None:
    """An open household flag whose condition still holds: its sentence shows the new numbers,
    and it counts for the latest visit that found it holding (that visit's risk score, so a
    household still in hardship is not at the bottom of the queue because an earlier visit
    found it first)."""
    moved = submission is not None and flag.submission_id != submission.pk
    if flag.evidence == evidence and not moved:
        return
    earlier = flag.submission_id
    flag.evidence = evidence
    if moved:
        flag.submission = submission
    with transaction.atomic():
        flag.save(update_fields=["evidence", "submission", "updated_at"])
        if moved:
            submission_risk_refresh(
                project=flag.project_id, submission_ids=[earlier, flag.submission_id]
            )


@dataclass(frozen=True)
class Finding:
    """A problem an evidence check found: its code, what it is about, and the numbers used."""

    code: str
    subject: str
    evidence: Mapping[str, object]


def subject_flags_reconcile(
    *,
    submission: Submission,
    household: Household | None,
    codes: Iterable[str],
    findings: list[Finding],
) -> tuple[list[Flag], list[Flag]]:
    """Make the submission's open flags with these codes match the findings: open the new ones,
    refresh the evidence of those still open, close those whose condition has gone.

    Return the flags opened and closed. Running it again with the same findings changes nothing.
    """
    current = {
        (flag.code, flag.subject): flag
        for flag in Flag.objects.filter(
            submission=submission, code__in=list(codes), state=FlagState.OPEN
        ).exclude(subject="")
    }
    opened: list[Flag] = []
    for finding in findings:
        flag = current.pop((finding.code, finding.subject), None)
        if flag is None:
            created = _subject_flag_open(submission, household, finding)
            opened += [created] if created else []
        elif flag.evidence != finding.evidence or flag.household_id != _id(household):
            flag.evidence, flag.household = finding.evidence, household
            flag.village_id = _village_id(household)
            flag.save(update_fields=["evidence", "household", "village", "updated_at"])
    for flag in current.values():
        _close(flag, submission)
    if opened or current:
        submission_risk_refresh(project=submission.project_id, submission_ids=[submission.pk])
    return opened, list(current.values())


def _id(household: Household | None) -> int | None:
    return household.pk if household else None


def _village_id(household: Household | None) -> int | None:
    """The village a flag keeps (Flag.village): its household's."""
    return household.village_id if household else None


def _refresh_risk(flag: Flag) -> None:
    """Keep the stored risk score of the submission that found the flag (the queue's order)."""
    submission_risk_refresh(project=flag.project_id, submission_ids=[flag.submission_id])


def _subject_flag_open(
    submission: Submission, household: Household | None, finding: Finding
) -> Flag | None:
    try:
        with transaction.atomic():
            return Flag.objects.create(
                project_id=submission.project_id,
                household=household,
                village_id=_village_id(household),
                submission=submission,
                code=finding.code,
                subject=finding.subject,
                severity=FLAGS[finding.code][0],
                evidence=finding.evidence,
            )
    except IntegrityError:
        return None  # another worker opened it a moment ago


def flag_close(*, flag: Flag, submission: Submission | None) -> None:
    """Close a flag whose condition no longer holds, naming the submission that showed it."""
    flags_close(flags=[flag], submission=submission)


def flags_close(*, flags: Sequence[Flag], submission: Submission | None) -> None:
    """flag_close for each (of one project), the scores of the submissions that found them
    refreshed in one update."""
    if not flags:
        return
    with transaction.atomic():
        for flag in flags:
            _close(flag, submission)
        submission_risk_refresh(
            project=flags[0].project_id, submission_ids=[flag.submission_id for flag in flags]
        )


def _close(flag: Flag, submission: Submission | None) -> None:
    flag.state, flag.closed_at, flag.closed_by_submission = (
        FlagState.CLOSED,
        timezone.now(),
        submission,
    )
    flag.save(update_fields=["state", "closed_at", "closed_by_submission", "updated_at"])


@transaction.atomic
def flag_clear(*, flag: Flag, actor: User, note: str) -> Flag:
    """A supervisor closes a flag by hand, saying why."""
    flag.state, flag.closed_at, flag.cleared_by, flag.note = (
        FlagState.CLOSED,
        timezone.now(),
        actor,
        note,
    )
    flag.save(update_fields=["state", "closed_at", "cleared_by", "note", "updated_at"])
    _refresh_risk(flag)
    return flag
