"""The village of a submission that changed no household, so the right supervisors see it.

A submission that changed households belongs to the first one's village (households/merge.py).
One that changed none still concerns a village: a registration awaiting approval belongs to the
village it registers in (whose supervisors decide), a visit that met nobody to the household it
names, any other to the village it answers. The last two count only inside the sender's scope,
so that nobody can place their submissions in another township's queue.
"""

from collections.abc import Mapping

from backend.accounts.access import scope_of
from backend.areas.models import Area, Level
from backend.households.access import may_change_household
from backend.households.merge import entity_blocks
from backend.households.models import Household
from backend.households.submission_access import VILLAGE_FIELDS
from backend.submissions.models import Submission
from backend.submissions.xml import Instance


def submission_village(
    submission: Submission, instance: Instance, fields: Mapping[str, object]
) -> int | None:
    """The id of the village the unmerged submission concerns, or None when it names none."""
    blocks = entity_blocks(submission=submission, instance=instance)
    created = [block.received.get("village", "") for block in blocks if block.create]
    if created:
        return _village_id(created[0])
    named = Household.objects.filter(
        project_id=submission.project_id, uuid__in=[block.entity_id for block in blocks]
    ).select_related("project")
    sender = submission.submitted_by
    for household in named:
        if may_change_household(sender, household):
            return household.village_id
    answered = next((fields[key] for key in VILLAGE_FIELDS if fields.get(key)), None)
    village = _village_id(str(answered)) if answered else None
    if village is not None and sender is not None:
        return village if scope_of(sender, submission.project).holds_village(village) else None
    return None


def _village_id(code: str) -> int | None:
    return Area.objects.filter(code=code, level=Level.VILLAGE).values_list("pk", flat=True).first()
