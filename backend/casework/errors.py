"""The refusals of the casework (docs/errors.md)."""

from backend.core.errors import Conflict, InvalidInput


class CaseRefused(Conflict):
    """The household cannot take a case of this kind now (already monitored, not a monitoring
    object, or a problem still open before an elimination); `details` says why."""

    code = "case.refused"


class CaseClosed(Conflict):
    code = "case.closed"


class CaseStepIncomplete(InvalidInput):
    """The step lacks what its approval needs; `details` lists each missing thing."""

    code = "case.step_incomplete"


class NoticeNotEnded(Conflict):
    """The public notice has not ended, or has objections not yet handled."""

    code = "case.notice_open"


class RecordsNotVerified(Conflict):
    """The departments' records of the household wait to be verified (the open flag
    dept_verify); `details` names each finding with its department and file."""

    code = "case.records_unverified"


class CaseRecordInvalid(InvalidInput):
    """A value of a step's record, a document or an objection is not acceptable."""

    code = "case.invalid"
