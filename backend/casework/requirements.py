"""What a step records, and what its approval needs (the tables of kinds.py).

A step's record is saved as it is filled in; only an approval asks for everything: each field,
each document, each signature the work plans name, a majority at the appraisal, a notice long
enough, and, for a step that waits for the notice, its end and every objection handled.
"""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from backend.casework.deadlines import notice_end
from backend.casework.errors import CaseRecordInvalid, NoticeNotEnded
from backend.casework.kinds import SIGNATORIES, FieldSpec, StepSpec, notice_step
from backend.casework.models import AttachmentRole, Case, CaseStep, Outcome

MAX_TEXT = 4000
_LARGEST_COUNT = 100_000


def clean_record(spec: StepSpec, values: dict[str, object]) -> dict[str, object]:
    """The values as stored: only the step's fields, each of its type; an empty value removes
    the field. CaseRecordInvalid lists every value refused."""
    fields = {field.name: field for field in spec.fields}
    cleaned: dict[str, object] = {}
    problems = []
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            problems.append(_("%(name)s is not recorded at this step.") % {"name": name})
            continue
        try:
            cleaned[name] = _typed(field, value)
        except ValueError:
            problems.append(_("%(field)s: the value is not acceptable.") % {"field": field.label})
    if problems:
        raise CaseRecordInvalid(_("The step's record was not saved."), details=problems)
    return cleaned


def _typed(field: FieldSpec, value: object) -> object:
    if value is None or value == "":
        return None
    if field.type == "count":
        number = int(str(value).strip()) if str(value).strip().isascii() else -1
        if not 0 <= number <= _LARGEST_COUNT:
            raise ValueError(value)
        return number
    if field.type == "date":
        return date.fromisoformat(str(value).strip()).isoformat()
    if field.type == "choice":
        if str(value).strip() not in dict(field.choices):
            raise ValueError(value)
        return str(value).strip()
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise ValueError(value)
    return text


def merged_record(before: dict[str, object], cleaned: dict[str, object]) -> dict[str, object]:
    """The record after saving `cleaned` on `before` (None removes a field)."""
    record = {**before, **cleaned}
    return {name: value for name, value in record.items() if value is not None}


def approval_problems(
    spec: StepSpec, row: CaseStep, documents: list[tuple[str, str]], notice_min_days: int
) -> list[str]:
    """What the step still lacks before it can be approved (none: it can).

    `documents` are the step's attachments as (role, signatory) pairs.
    """
    record = row.record
    problems = [
        _("Missing: %(field)s.") % {"field": field.label}
        for field in spec.fields
        if not field.optional and record.get(field.name) in (None, "")
    ]
    roles = {role for role, _signer in documents}
    problems += [
        _("Missing document: %(document)s.") % {"document": AttachmentRole(role).label}
        for role in spec.documents
        if role not in roles
    ]
    signed = {signer for role, signer in documents if role == AttachmentRole.SIGNATURE}
    problems += [
        _("Missing signature: %(signatory)s.") % {"signatory": SIGNATORIES[code]}
        for code in spec.signatories
        if code not in signed
    ]
    if spec.appraisal:
        problems += _appraisal_problems(record)
    if spec.notice:
        problems += _notice_problems(record, notice_min_days)
    return problems


def _appraisal_problems(record: dict[str, object]) -> list[str]:
    present, yes, no = (
        record.get("attendance"),
        record.get("votes_for"),
        record.get("votes_against"),
    )
    if not (isinstance(present, int) and isinstance(yes, int) and isinstance(no, int)):
        return []  # reported as missing
    if yes + no > present:
        return [_("More votes were counted than people were present.")]
    if yes * 2 <= present:
        return [_("The appraisal did not reach a majority of those present.")]
    return []


def _notice_problems(record: dict[str, object], min_days: int) -> list[str]:
    starts, ends = _date(record.get("notice_starts_on")), notice_end(record)
    if starts is None or ends is None:
        return []  # reported as missing
    if (ends - starts).days < min_days:
        return [_("A public notice stays up at least %(days)d days.") % {"days": min_days}]
    return []


def require_notice_over(case: Case, spec: StepSpec, today: date) -> None:
    """Refuse the approval of a step that waits for the public notice while it is still up or
    an objection is not handled; an upheld objection leaves only a return or a rejection."""
    holder = notice_step(case.kind)
    if not spec.after_notice or holder is None:
        return
    last = case.steps.filter(step=holder.code).order_by("-created_at", "-id").first()
    ends = notice_end(last.record) if last else None
    if ends is None:
        raise NoticeNotEnded(_("The public notice has no end date yet."))
    if today < ends:
        raise NoticeNotEnded(
            _("The public notice ends on %(date)s: it cannot be approved before then.")
            % {"date": formats.date_format(ends, "DATE_FORMAT")}
        )
    outcomes = set(last.objections.values_list("outcome", flat=True)) if last else set()
    if Outcome.PENDING in outcomes:
        raise NoticeNotEnded(_("An objection to the notice has not been handled yet."))
    if Outcome.UPHELD in outcomes:
        raise NoticeNotEnded(_("An objection to the notice was upheld: return or reject the case."))


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
