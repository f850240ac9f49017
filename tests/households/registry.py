"""Households registered outside a form, and what is open on them: the rules' tests share these."""

import uuid

from backend.flags.models import FlagState
from backend.households.models import Household
from backend.households.services import household_register


def register(project, village, **properties) -> Household:
    props = {"head_name": "张三", "village": village.code, **properties}
    return household_register(
        project=project,
        code=f"H-{uuid.uuid4().hex[:6]}",
        label="H 张*",
        village=village,
        properties=props,
    )


def open_codes(household: Household) -> set[str]:
    return set(household.flags.filter(state=FlagState.OPEN).values_list("code", flat=True))
