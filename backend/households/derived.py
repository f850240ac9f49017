"""What other rows keep of households, kept right in one place.

- Each household's line of the phones' list and its change number, which the list's version
  token sums (lines.py): the number moves exactly when what a phone gets of the household does.
- Each household's village on its submissions and flags, which the review queue and the
  dashboard count by from an index.

Every service that writes a household takes `household_before` before the change and calls
`household_written` after saving it; the area service calls `village_recoded` when a village's
code changes. No save() override and no signal keeps these copies.
"""

from dataclasses import dataclass

from backend.flags.models import Flag
from backend.households.lines import (
    ListLayout,
    household_line_write,
    households_lines_changed,
    line_inputs,
    list_layout,
)
from backend.households.models import Household
from backend.submissions.models import Submission


@dataclass(frozen=True)
class HouseholdBefore:
    """What a household's copies depend on, as it was before a write."""

    project_id: int
    village_id: int | None
    layout: ListLayout  # the project's list layout, read once for the whole write
    line: tuple[object, ...]


def household_before(household: Household) -> HouseholdBefore:
    """The household as its copies know it; take it before changing the household."""
    layout = list_layout(household.project_id)
    return HouseholdBefore(
        project_id=household.project_id,
        village_id=household.village_id,
        layout=layout,
        line=line_inputs(household, layout),
    )


def household_written(household: Household, *, before: HouseholdBefore | None) -> None:
    """Bring the copies up to date after the household was saved (created: `before` None).

    A write that leaves the line as it was (a last visit, a resolved conflict, a helper) keeps
    its change number, so no phone downloads the list again for it.
    """
    if before is not None and before.project_id == household.project_id:
        layout = before.layout
    else:  # a new household, or one moved to another project (the admin's form)
        layout = list_layout(household.project_id)
    changed = before is None or before.line != line_inputs(household, layout)
    household_line_write(household, changed=changed, layout=layout)
    if before is not None and before.village_id != household.village_id:
        household_moved(household)


def household_moved(household: Household) -> None:
    """The household is now in another village: its visits and its flags go with it."""
    village = household.village_id
    Submission.objects.filter(household_versions__household=household).update(village_id=village)
    Flag.objects.filter(household=household).update(village_id=village)


def village_recoded(village_id: int) -> None:
    """The village's code changed: the line of every household in it shows the new one."""
    households_lines_changed(Household.objects.filter(village_id=village_id))
