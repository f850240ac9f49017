"""The village look-back review of the library: each problem answered yes opens a rectification
item of the village (no household) with the measure, responsible unit, department and deadline
its problem gives and the person the form names, through the pipeline after the 201; once per
review, and only in the sender's villages."""

from datetime import date

import pytest

from backend.casework.access import cases_for_actor
from backend.casework.ledger import ledger_row
from backend.casework.models import Case, CaseTrigger, Kind
from backend.pipeline.tasks import submission_merge
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.casework.test_rectification_access import staff
from tests.households.instances import filled_instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_form(project, alice):
    source = Upload("village_review.md", (LIBRARY_DIR / "village_review.md").read_bytes())
    return form_publish(project=project, source=source, published_by=alice).version


def post_review(phone_of, form, worker, village, **answers):
    values = {
        "/data/village": village.code,
        "/data/reviewer": "王干部",
        **{f"/data/{code}_problem": "no" for code in ("road", "water", "clinic", "school")},
        **answers,
    }
    response = phone_of(worker, filled_instance(form, values, entity={}))
    assert response.status_code == 201, response.content
    return Submission.objects.latest("pk")


def test_each_problem_answered_yes_opens_an_item_of_the_village(
    world, review_form, phone_of, fixed_clock
):
    submission = post_review(
        phone_of,
        review_form,
        world.places.supervisor_a,
        world.places.a1,
        **{
            "/data/road_problem": "yes",
            "/data/road_note": "村口路段塌方",
            "/data/clinic_problem": "yes",
            "/data/clinic_note": "村医退休，无人接替",
            "/data/responsible_person": "李主任",
        },
    )

    items = {c.department: c for c in Case.objects.filter(kind=Kind.RECTIFICATION)}
    assert set(items) == {"transport", "medical"}
    road = items["transport"]
    assert (road.village, road.household, road.step, road.opened_by) == (
        world.places.a1,
        None,
        "rectify",
        None,
    )
    assert "村口路段塌方" in road.reason
    record = road.steps.get().record
    assert record["responsible_person"] == "李主任"
    # In the project's language (the tests' is English): the offices read the ledger.
    assert (record["measure"], record["responsible_unit"]) == (
        "Harden or repair the road to the village and restore the bus service.",
        "County transport bureau",
    )
    # Received on 7 December 2026: the road's default deadline is 90 days later.
    assert road.due_on == date(2027, 3, 7)
    assert ledger_row(road, today=date(2026, 12, 7)).deadline == date(2027, 3, 7)
    trigger = road.triggers.get()
    assert (trigger.source, trigger.code, trigger.submission) == (
        "visit",
        "review_road",
        submission,
    )
    # Township A's offices see them; the department only its own.
    assert set(cases_for_actor(actor=world.places.supervisor_a, project=world.project)) == set(
        items.values()
    )
    health = staff(world.project, "clinic_staff", "medical")
    assert list(cases_for_actor(actor=health, project=world.project)) == [items["medical"]]


def test_running_the_step_again_opens_nothing_new(
    world, review_form, phone_of, django_capture_on_commit_callbacks
):
    submission = post_review(
        phone_of, review_form, world.places.supervisor_a, world.places.a1,
        **{"/data/water_problem": "yes", "/data/water_note": "水质浑浊"},
    )  # fmt: skip
    assert Case.objects.count() == 1
    Submission.objects.filter(pk=submission.pk).update(processed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        submission_merge(submission.pk)
    assert Case.objects.count() == CaseTrigger.objects.count() == 1


def test_a_review_with_no_problem_or_of_a_village_out_of_scope_opens_nothing(
    world, review_form, phone_of
):
    post_review(phone_of, review_form, world.places.supervisor_a, world.places.a1)
    post_review(
        phone_of, review_form, world.places.supervisor_a, world.places.b1,
        **{"/data/school_problem": "yes", "/data/school_note": "无学可上"},
    )  # fmt: skip
    assert not Case.objects.exists()


def test_a_later_review_that_finds_the_problem_gone_sends_the_item_to_the_township(
    world, review_form, phone_of, fixed_clock
):
    post_review(
        phone_of, review_form, world.places.supervisor_a, world.places.a1,
        **{"/data/water_problem": "yes", "/data/water_note": "水质浑浊"},
    )  # fmt: skip
    item = Case.objects.get()
    later = post_review(phone_of, review_form, world.places.supervisor_a, world.places.a1)

    item = Case.objects.get(pk=item.pk)
    assert (item.state, item.step, item.level) == ("open", "township_first_check", "township")
    passed = item.steps.get(step="rectify")
    assert (passed.decision, passed.actor) == ("approve", None)
    assert "found the problem gone" in passed.comment
    assert item.triggers.filter(code="problem_gone", submission=later).count() == 1
    # A third review changes nothing more: never straight to struck off.
    post_review(phone_of, review_form, world.places.supervisor_a, world.places.a1)
    item = Case.objects.get(pk=item.pk)
    assert (item.state, item.step) == ("open", "township_first_check")
