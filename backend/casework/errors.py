"""The refusals of the casework (docs/errors.md)."""

from backend.core.errors import Conflict, InvalidInput, PermissionDenied


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


class CaseStepNotWaiting(Conflict):
    """A step was asked to be decided while the case waits at another: a renovation's stages
    are recorded in their order."""

    code = "case.step_not_waiting"


class OwnHelperRefused(PermissionDenied):
    """The household's own helper decides an acceptance of its renovation: nobody accepts
    their own work."""

    code = "renovation.own_helper"


class RenovationNotAccepted(Conflict):
    """The subsidy is paid, or the household moves in, before the step that allows it."""

    code = "renovation.not_accepted"
