"""The pipeline's step "cases": a visit's proposal and a household's serious flags open a case
(once: a second trigger joins the open one, and running the step again changes nothing)."""

import pytest

from backend.casework.access import cases_for_actor
from backend.casework.models import Case, CaseTrigger, Decision, Kind
from backend.casework.services import case_step_decide
from backend.casework.triggers import household_cases_trigger
from backend.households.models import Category
from backend.monitoring.engine import household_rules_apply
from backend.pipeline.tasks import submission_merge
from backend.submissions.models import Submission
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.casework.conftest import household, visit
from tests.households.instances import filled_instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_form(project, alice):
    source = Upload("hh_visit.md", (LIBRARY_DIR / "hh_visit.md").read_bytes())
    return form_publish(project=project, source=source, published_by=alice).version


def post_visit(phone_of, form, worker, home, **answers):
    xml = filled_instance(
        form,
        {
            "/data/village": home.village.code,
            "/data/hh": str(home.uuid),
            "/data/met": "yes",
            **answers,
        },
        entity={
            "dataset": "households",
            "id": str(home.uuid),
            "update": "1",
            "baseVersion": str(home.version),
        },
    )
    assert phone_of(worker, xml).status_code == 201
    return Submission.objects.latest("pk")


def test_a_visit_proposing_inclusion_opens_a_case_its_township_sees(
    world, visit_form, phone_of, django_capture_on_commit_callbacks
):
    home = household(world, "PL-1")
    submission = post_visit(
        phone_of,
        visit_form,
        world.places.worker_a,
        home,
        **{"/data/conclusion/last_outcome": "propose_monitor"},
    )
    case = Case.objects.get(household=home)
    assert (case.kind, case.category, case.step, case.opened_by) == (
        Kind.INCLUSION,
        Category.MONITOR_MARGINAL,
        "household_check",
        None,
    )
    trigger = case.triggers.get()
    assert (trigger.source, trigger.code, trigger.submission) == (
        "visit",
        "propose_monitor",
        submission,
    )
    assert list(cases_for_actor(actor=world.places.supervisor_a, project=world.project)) == [case]
    assert list(cases_for_actor(actor=world.places.supervisor_b, project=world.project)) == []

    with django_capture_on_commit_callbacks(execute=True):
        submission_merge(submission.pk)  # the step again: nothing new
    assert Case.objects.count() == CaseTrigger.objects.count() == 1


def test_a_visit_that_finds_a_serious_problem_on_an_ordinary_household_opens_an_inclusion(
    world, visit_form, phone_of
):
    home = household(world, "PL-2", category="ordinary")
    post_visit(
        phone_of,
        visit_form,
        world.places.worker_a,
        home,
        **{"/data/income/income_year": "2026", "/data/income/income_pc": "3000"},
    )
    case = Case.objects.get(household=home)
    assert (case.kind, case.category) == (Kind.INCLUSION, Category.MONITOR_MARGINAL)
    assert list(case.triggers.values_list("source", "code")) == [("flag", "not_monitored")]


def test_a_return_to_poverty_opens_and_the_other_flags_join_it(world):
    home = household(world, "PL-3", category="exited", incomes=(9000, 3000))
    household_rules_apply(household=home)
    assert {"returned_to_poverty", "not_monitored"} <= set(
        home.flags.filter(state="open").values_list("code", flat=True)
    )
    for _run in range(2):
        (case, joined) = household_cases_trigger(household=home, submission=None, received={})
    assert case == joined
    assert (case.kind, case.category) == (Kind.RETURN_TO_POVERTY, Category.MONITOR_UNSTABLE)
    assert list(case.triggers.values_list("kind", "code")) == [
        ("return_to_poverty", "returned_to_poverty"),
        ("inclusion", "not_monitored"),
    ]


def test_sudden_hardship_proposes_the_sudden_difficulty_category(world):
    home = household(world, "PL-4", category="ordinary", spend_medical="60000", spend_education="0")
    household_rules_apply(household=home)
    (case, _joined) = household_cases_trigger(household=home, submission=None, received={})
    assert (case.kind, case.category) == (Kind.INCLUSION, Category.MONITOR_SUDDEN)


def test_a_flag_that_opened_a_rejected_case_opens_no_other(world):
    home = household(world, "PL-5", category="ordinary", incomes=(3000,))
    (case,) = household_cases_trigger(household=home, submission=None, received={})
    case_step_decide(case=case, actor=world.cadre_a1, decision=Decision.REJECT, comment="外出务工")
    household_cases_trigger(household=home, submission=None, received={})
    assert list(home.cases.values_list("state", flat=True)) == ["rejected"]


def test_a_proposed_elimination_with_a_problem_open_opens_nothing(world):
    home = household(
        world, "PL-6", category="monitor_marginal", incomes=(9000, 9500), house_grade="D"
    )
    visit(home, last_outcome="propose_clear")
    assert (
        household_cases_trigger(
            household=home, submission=None, received={"last_outcome": "propose_clear"}
        )
        == []
    )
    assert not home.cases.exists()


def test_a_proposed_elimination_opens_when_the_household_is_ready(world):
    home = household(world, "PL-7", category="monitor_marginal", incomes=(9000, 9500))
    (case,) = household_cases_trigger(
        household=home, submission=None, received={"last_outcome": "propose_clear"}
    )
    assert (case.kind, case.category, case.step) == (Kind.ELIMINATION, "", "household_survey")


RECATEGORISE = """
| survey |
|        | type                                | name     | label    | save_to  |
|        | select_one_from_file households.csv | hh       | HH       |          |
|        | text                                | category | Category | category |
| entities |
|          | list_name  | entity_id |
|          | households | ${hh}     |
| settings |
|          | form_id    | version |
|          | recategorise | 1     |
"""


def test_a_form_does_not_change_a_registered_households_category(world, alice, phone_of):
    home = household(world, "PL-8", category="ordinary")
    source = Upload("recategorise.md", RECATEGORISE.encode())
    form = form_publish(project=world.project, source=source, published_by=alice).version
    xml = filled_instance(
        form,
        {"/data/hh": str(home.uuid), "/data/category": "monitor_sudden"},
        entity={"dataset": "households", "id": str(home.uuid), "update": "1", "baseVersion": "1"},
    )
    assert phone_of(world.places.worker_a, xml).status_code == 201
    home.refresh_from_db()
    assert home.version == 2
    assert (home.category, home.properties["category"]) == ("ordinary", "ordinary")
    assert home.versions.get(version=2).received == {"category": "monitor_sudden"}
