"""The rows an export reads: its requester's view, narrowed by the request's filters."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from backend.areas.models import Area
from backend.core.days import day_start
from backend.exports.access import export_submissions_for_actor, villages_under
from backend.exports.models import Export
from backend.exports.params import ExportParams
from backend.households.access import households_for_actor
from backend.households.models import Household, HouseholdVersion
from backend.submissions.models import Submission
from forms.models import Form


def export_submissions(export: Export) -> QuerySet[Submission]:
    """Current submissions the requester may see that match the export's filters."""
    params = ExportParams.from_json(export.parameters)
    submissions = export_submissions_for_actor(actor=export.requested_by, project=export.project)
    if params.form:
        submissions = submissions.filter(form=export_form(export))
    if params.since_date:
        submissions = submissions.filter(created_at__gte=day_start(params.since_date))
    if params.until_date:
        until = params.until_date + timedelta(days=1)
        submissions = submissions.filter(created_at__lt=day_start(until))
    if params.review_state:
        submissions = submissions.filter(review_state=params.review_state)
    if params.village:
        codes = _village_codes(params.village)
        in_village = HouseholdVersion.objects.filter(
            submission=OuterRef("pk"), household__village__code__in=codes
        )
        submissions = submissions.filter(Exists(in_village) | Q(fields__village__in=codes))
    return submissions


def export_households(export: Export) -> QuerySet[Household]:
    """Households the requester may see, in the requested area."""
    params = ExportParams.from_json(export.parameters)
    households = households_for_actor(actor=export.requested_by, project=export.project)
    if params.village:
        households = households.filter(village__code__in=_village_codes(params.village))
    return households


def export_form(export: Export) -> Form:
    params = ExportParams.from_json(export.parameters)
    return Form.objects.select_related("current_version").get(
        project=export.project, xml_form_id=params.form
    )


def _village_codes(code: str) -> list[str]:
    area_ids = list(Area.objects.filter(code=code).values_list("pk", flat=True))
    return villages_under(area_ids=area_ids)
