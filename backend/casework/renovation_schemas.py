"""The JSON shapes of renovations (backend/casework/renovation_api.py)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from backend.casework.renovation_sample import Drawn
from backend.casework.requirements import MAX_TEXT


class OpenRenovationIn(Schema):
    household: str = Field(..., max_length=64)  # the household's id (uuid)
    reason: str = Field("", max_length=MAX_TEXT)


class StageIn(Schema):
    # Values of the stage's record (kinds.py: seen_on; progress during; grade_after after).
    record: dict[str, Any] = Field(default_factory=dict)


class MoveInIn(Schema):
    moved_in_on: date


class PaymentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    paid_on: date


class SampleIn(Schema):
    # Repeats an earlier draw's choice (?seed=7); a new random seed when left out.
    seed: int | None = Field(None, ge=0, lt=2**62)


class StagePhotoOut(Schema):
    stage: str
    stage_label: str
    url: str
    thumbnail_url: str
    large_url: str
    taken_at: datetime | None
    visit_ended_at: datetime | None
    latitude: float | None
    longitude: float | None
    checked: bool
    checks: list[str]


class SpotOut(Schema):
    spot: str
    label: str
    photos: list[StagePhotoOut | None]


class RenovationOut(Schema):
    case: int
    household: str
    household_label: str
    village_name: str
    state: str
    state_label: str
    step: str
    step_label: str
    due_on: date | None
    grade: str
    grade_label: str
    method: str
    method_label: str
    priority_groups: list[str]
    priority_labels: list[str]
    move_in_by: date | None
    moved_in_on: date | None
    move_in_overdue: bool
    move_in_note: str
    subsidy_amount: Decimal | None
    paid_on: date | None
    reinspector: str
    spots: list[SpotOut]


class SampledOut(Schema):
    case: int
    household_label: str
    village_name: str
    # The worker on whose phone list the house now is ("" when the project has no other).
    reinspector: str


class SampleOut(Schema):
    id: int
    share: int
    seed: int
    population: int
    drawn: list[SampledOut]

    @staticmethod
    def from_drawn(drawn: Drawn) -> "SampleOut":
        return SampleOut(
            id=drawn.sample.pk,
            share=drawn.sample.share,
            seed=drawn.sample.seed,
            population=drawn.sample.population,
            drawn=[
                SampledOut(
                    case=renovation.case_id,
                    household_label=renovation.case.subject_label,
                    village_name=renovation.case.place.name,
                    reinspector=str(worker) if worker else "",
                )
                for renovation, worker in drawn.chosen
            ],
        )
