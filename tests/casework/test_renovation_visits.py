"""Visits of the housing inspection form feed the household's renovation: a before visit opens
it at its appraisal, a visit of the stage it waits at passes that stage, a visit ahead of it is
kept and flagged (never refused), and reading the visit again changes nothing."""

import pytest

from backend.casework.models import Case, Decision, Kind
from backend.casework.renovation_models import RenovationVisit
from backend.casework.services import case_step_decide
from backend.flags.models import Flag
from backend.pipeline.tasks import submission_merge
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.casework.conftest import attach
from tests.casework.renovation import PLAN, dangerous_house
from tests.households.instances import filled_instance

pytestmark = pytest.mark.django_db

BEFORE = {
    "/data/stage": "before",
    "/data/plan/grade_before": "D",
    "/data/plan/appraisal_date": "2026-11-20",
    "/data/plan/appraisal_org": "县住建局 李工",
    "/data/plan/reno_method": "rebuild",
    "/data/reno_status": "appraised",
    "/data/house_grade_save": "D",
}
DURING = {
    "/data/stage": "during",
    "/data/during/progress": "roof",
    "/data/reno_status": "in_progress",
}
AFTER = {
    "/data/stage": "after",
    "/data/after/result": "pass",
    "/data/after/grade_after": "A",
    "/data/reno_status": "accepted",
}


@pytest.fixture
def inspection(project, alice):
    path = LIBRARY_DIR / "housing_inspection.md"
    source = Upload(path.name, path.read_bytes())
    return form_publish(project=project, source=source, published_by=alice).version


def inspect(phone_of, form, worker, home, answers, *files):
    home.refresh_from_db()
    xml = filled_instance(
        form,
        {"/data/village": home.village.code, "/data/hh": str(home.uuid), **answers},
        entity={
            "dataset": "households",
            "id": str(home.uuid),
            "update": "1",
            "baseVersion": str(home.version),
        },
    )
    assert phone_of(worker, xml, *files).status_code == 201
    return Submission.objects.latest("pk")


def test_inspection_visits_record_the_renovations_stages_in_order(
    world, inspection, phone_of, django_capture_on_commit_callbacks
):
    home = dangerous_house(world)
    worker = world.places.worker_a
    first = inspect(phone_of, inspection, worker, home, BEFORE)
    case = Case.objects.get(household=home, kind=Kind.RENOVATION)
    assert case.step == "appraisal"
    assert case.steps.get().record == {
        "grade": "D",
        "appraised_on": "2026-11-20",
        "appraised_by": "县住建局 李工",
    }
    # Read again: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        submission_merge(first.pk)
    assert RenovationVisit.objects.filter(case=case).count() == 1

    # A construction visit before the appraisal and the plan are decided: kept, flagged.
    early = inspect(phone_of, inspection, worker, home, DURING)
    flag = Flag.objects.get(household=home, code="reno_case_out_of_order")
    assert flag.submission == early
    # In the project's language (English in the tests' settings).
    assert flag.evidence == {
        "stage": "During construction",
        "waiting": "Appraisal of the dangerous house",
    }
    case.refresh_from_db()
    assert case.step == "appraisal"

    attach(case, world.cadre_a1, "appraisal_report")
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE, values=PLAN)
    # The before visit on record lets the office approve the before stage; a new one passes it.
    inspect(phone_of, inspection, worker, home, BEFORE)
    case.refresh_from_db()
    assert case.step == "during"
    inspect(phone_of, inspection, worker, home, DURING)
    case.refresh_from_db()
    assert case.step == "after"
    assert case.steps.get(step="during").record["progress"] == "roof"
    # The helper's own "after / pass" records the works done; acceptance stays the offices'.
    inspect(phone_of, inspection, worker, home, AFTER)
    case.refresh_from_db()
    assert case.step == "township_acceptance"
    assert case.steps.get(step="after").record["grade_after"] == "A"


def test_a_failed_after_visit_passes_nothing(world, inspection, phone_of):
    home = dangerous_house(world, "RN-F")
    worker = world.places.worker_a
    inspect(phone_of, inspection, worker, home, BEFORE)
    case = Case.objects.get(household=home, kind=Kind.RENOVATION)
    attach(case, world.cadre_a1, "appraisal_report")
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE)
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.APPROVE, values=PLAN)
    inspect(phone_of, inspection, worker, home, BEFORE)
    inspect(phone_of, inspection, worker, home, DURING)
    failed = {**AFTER, "/data/after/result": "rectify", "/data/reno_status": "rectify"}
    inspect(phone_of, inspection, worker, home, failed)
    case.refresh_from_db()
    assert case.step == "after"


def test_an_after_visit_with_no_renovation_under_way_opens_nothing(world, inspection, phone_of):
    home = dangerous_house(world, "RN-X")
    inspect(phone_of, inspection, world.places.worker_a, home, AFTER)
    assert not Case.objects.filter(household=home, kind=Kind.RENOVATION).exists()
    # The registry judges it: an acceptance with no appraisal on record, by the helper.
    assert not Flag.objects.filter(household=home, code="reno_case_out_of_order").exists()
    assert Flag.objects.filter(household=home, code="reno_acceptance_refused").exists()
