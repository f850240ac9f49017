"""What an export request may say, checked before anything is queued."""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from backend.areas.models import Area
from backend.core.errors import InvalidInput
from backend.exports.models import ExportKind
from backend.projects.models import Project
from backend.submissions.models import ReviewState
from forms.models import Form

FORM_KINDS = {ExportKind.FORM_CSV, ExportKind.FORM_XLSX}
# Kinds that read submissions, where a form narrows the selection.
SUBMISSION_KINDS = {*FORM_KINDS, ExportKind.SUBMISSIONS_GEOJSON, ExportKind.PHOTOS_ZIP}


@dataclass(frozen=True)
class ExportParams:
    form: str = ""  # the form id (xml_form_id)
    labels: bool = False  # labels instead of names, for headers and choices
    language: str = ""  # a translation of the form (name or code); "" for the default
    split_select_multiple: bool = False
    village: str = ""  # an area code: a village, or a township or county for all its villages
    since: str = ""  # ISO dates, inclusive, on the day the server received the submission
    until: str = ""
    review_state: str = ""
    locale: str = ""  # the requester's interface language, for translated column names
    personal_data: bool = False  # ID numbers, health and disability answers unmasked (admins)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ExportParams":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def since_date(self) -> date | None:
        return date.fromisoformat(self.since) if self.since else None

    @property
    def until_date(self) -> date | None:
        return date.fromisoformat(self.until) if self.until else None


def clean_params(*, project: Project, kind: str, params: ExportParams) -> ExportParams:
    """Refuse a request that cannot be built, with a message that says what to change."""
    if kind not in ExportKind.values:
        raise InvalidInput(
            _("Unknown export kind. Choose one of: %(kinds)s")
            % {"kinds": ", ".join(ExportKind.values)}
        )
    if kind in FORM_KINDS and not params.form:
        raise InvalidInput(_("Name the form to export."))
    if kind == ExportKind.DOSSIERS_ZIP and not params.village:
        raise InvalidInput(_("Name the village whose files to bundle."))
    if params.personal_data and kind not in FORM_KINDS:
        raise InvalidInput(_("Personal data can be asked for only in form exports."))
    if params.form and kind in SUBMISSION_KINDS:
        form = Form.objects.filter(project=project, xml_form_id=params.form).first()
        if form is None or form.current_version_id is None:
            raise InvalidInput(_("This project has no form %(form)s.") % {"form": params.form})
    if params.village and not Area.objects.filter(code=params.village).exists():
        raise InvalidInput(_("No area has the code %(code)s.") % {"code": params.village})
    _check_dates(params)
    if params.review_state and params.review_state not in ReviewState.values:
        raise InvalidInput(
            _("Unknown review state. Choose one of: %(states)s")
            % {"states": ", ".join(ReviewState.values)}
        )
    return params


def _check_dates(params: ExportParams) -> None:
    try:
        since, until = params.since_date, params.until_date
    except ValueError:
        raise InvalidInput(_("Dates are written YYYY-MM-DD.")) from None
    if since and until and since > until:
        raise InvalidInput(_("The start date is after the end date."))
