"""Helpers for the renovation tests: a dangerous house, its renovation taken step by step."""

from backend.casework.models import Case, Decision
from backend.casework.renovation import renovation_open, renovation_stage_record
from backend.casework.services import case_step_decide
from tests.casework.conftest import attach, household

APPRAISAL = {"grade": "D", "appraised_on": "2026-11-20", "appraised_by": "县住建局 李工"}
PLAN = {"method": "rebuild", "move_in_by": "2027-06-30"}
CHECK = {"checked_on": "2026-12-07", "opinion": "验收合格"}


def dangerous_house(world, code="RN-1", **properties):
    return household(world, code, house_grade="D", **properties)


def opened(world, code="RN-1", **properties) -> Case:
    home = dangerous_house(world, code, **properties)
    case, _new = renovation_open(household=home, actor=world.cadre_a1)
    return case


def appraised_and_planned(world, case: Case, plan=None) -> Case:
    attach(case, world.cadre_a1, "appraisal_report")
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE, values=APPRAISAL)
    return case_step_decide(
        case=case, actor=world.cadre_a1, decision=Decision.APPROVE, values=plan or PLAN
    )


def stage(world, case: Case, code: str, **values) -> Case:
    case.refresh_from_db()
    attach(case, world.cadre_a1, "site_photo")
    return renovation_stage_record(
        case=case, actor=world.cadre_a1, stage=code, values={"seen_on": "2026-12-07", **values}
    )


def built(world, case: Case) -> Case:
    """Appraised, planned, photographed before, during and after: waiting at the township."""
    appraised_and_planned(world, case)
    stage(world, case, "before")
    stage(world, case, "during", progress="roof")
    return stage(world, case, "after", grade_after="A")


def accepted(world, case: Case) -> Case:
    built(world, case)
    case_step_decide(
        case=case, actor=world.places.supervisor_a, decision=Decision.APPROVE, values=CHECK
    )
    return case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE, values=CHECK)
