"""The renovations API through the real client: opened by the offices of the household's area,
stages in their order (409 out of it), acceptance never by the household's own helper, the
subsidy only after the county's acceptance, the move-in deadline, and the county's
re-inspection sample landing on another worker's phone list (the OpenRosa entity list)."""

import csv
import io

import pytest
from django.test import Client

from backend.accounts.services import device_token_issue
from backend.casework.models import CaseworkSettings
from backend.casework.renovation_models import ReinspectionSample, Renovation
from backend.households.models import Household
from forms.library import LIBRARY_DIR
from forms.services import Upload, form_publish
from tests.casework.renovation import accepted, appraised_and_planned, built, opened
from tests.casework.test_api_cases import call
from tests.sync.conftest import COLLECT_HEADERS, DEVICE, body

pytestmark = pytest.mark.django_db

API = "/api/v1/projects/demo/renovations"
CASES = "/api/v1/projects/demo/cases"
SAMPLES = "/api/v1/projects/demo/renovation-samples"
CHECK = {"checked_on": "2026-12-07", "opinion": "验收合格"}


def test_a_cadre_opens_a_renovation_and_a_second_request_gives_it_back(world):
    from tests.casework.renovation import dangerous_house

    home = dangerous_house(world, "API-1", dibao="yes")
    first = call(world.cadre_a1, "post", API, {"household": str(home.uuid)})
    assert first.status_code == 201
    assert first.json()["step"] == "appraisal"
    assert first.json()["priority_labels"] == ["Minimum living allowance household"]
    again = call(world.places.supervisor_a, "post", API, {"household": str(home.uuid)})
    assert (again.status_code, again.json()["case"]) == (200, first.json()["case"])
    # A worker does not open one; another township's office does not see the household.
    assert (
        call(world.places.worker_a, "post", API, {"household": str(home.uuid)}).status_code == 403
    )
    assert call(world.cadre_b1, "post", API, {"household": str(home.uuid)}).status_code == 404


def test_a_stage_out_of_order_is_refused_with_a_sentence(world):
    case = opened(world)
    appraised_and_planned(world, case)
    response = call(
        world.cadre_a1, "post", f"{API}/{case.pk}/stages/during", {"record": {"progress": "roof"}}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "case.step_not_waiting"
    assert "Before the works" in response.json()["message"]
    case.refresh_from_db()
    assert case.step == "before"
    assert call(world.cadre_a1, "post", f"{API}/{case.pk}/stages/roof", {}).status_code == 400


def test_the_households_helper_cannot_accept_through_the_api(world):
    case = opened(world)
    home = case.household
    home.helper = world.places.supervisor_a
    home.save(update_fields=["helper"])
    built(world, case)
    response = call(
        world.places.supervisor_a,
        "post",
        f"{CASES}/{case.pk}/decide",
        {"decision": "approve", "record": CHECK},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "renovation.own_helper"
    case.refresh_from_db()
    assert case.step == "township_acceptance"


def test_payment_before_the_county_acceptance_is_refused(world):
    case = built(world, opened(world))
    payment = {"amount": "35000.00", "paid_on": "2026-12-07"}
    early = call(world.county, "post", f"{API}/{case.pk}/payment", payment)
    assert early.status_code == 409
    assert early.json()["code"] == "renovation.not_accepted"
    assert Renovation.objects.get(case=case).paid_on is None


def test_payment_after_the_county_acceptance_and_the_move_in(world):
    case = accepted(world, opened(world))
    paid = call(
        world.county,
        "post",
        f"{API}/{case.pk}/payment",
        {"amount": "35000", "paid_on": "2026-12-07"},
    )
    assert paid.status_code == 200
    assert (paid.json()["subsidy_amount"], paid.json()["paid_on"]) == ("35000.00", "2026-12-07")
    moved = call(world.cadre_a1, "post", f"{API}/{case.pk}/move-in", {"moved_in_on": "2026-12-07"})
    assert moved.status_code == 200
    assert moved.json()["move_in_overdue"] is False
    assert moved.json()["move_in_note"].startswith("Moved in on")


def test_a_passed_move_in_deadline_is_flagged(world, fixed_clock):
    case = opened(world)
    appraised_and_planned(world, case, plan={"method": "rebuild", "move_in_by": "2026-12-31"})
    before = call(world.cadre_a1, "get", f"{API}/{case.pk}")
    assert before.json()["move_in_overdue"] is False
    fixed_clock.move_to("2027-01-04 10:00 +08:00")
    late = call(world.cadre_a1, "get", f"{API}/{case.pk}")
    assert late.json()["move_in_overdue"] is True
    assert "has not" in late.json()["move_in_note"]


def test_renovations_are_read_by_area(world):
    case = opened(world)
    assert call(world.cadre_a1, "get", f"{API}/{case.pk}").status_code == 200
    assert call(world.places.supervisor_a, "get", f"{API}/{case.pk}").status_code == 200
    assert call(world.county, "get", f"{API}/{case.pk}").status_code == 200
    assert call(world.places.worker_a, "get", f"{API}/{case.pk}").status_code == 200  # its helper
    assert call(world.cadre_b1, "get", f"{API}/{case.pk}").status_code == 404
    assert call(world.places.supervisor_b, "get", f"{API}/{case.pk}").status_code == 404
    assert call(world.places.worker_b, "get", f"{API}/{case.pk}").status_code == 404
    # Township B's office neither records a stage nor pays.
    stage = call(world.places.admin_b, "post", f"{API}/{case.pk}/stages/before", {"record": {}})
    assert stage.status_code == 404


@pytest.fixture
def inspection(project, alice):
    path = LIBRARY_DIR / "housing_inspection.md"
    source = Upload(path.name, path.read_bytes())
    return form_publish(project=project, source=source, published_by=alice).version


def phone_list(user, project, form) -> list[str]:
    """The household list's names as the person's phone downloads it."""
    _, token = device_token_issue(user=user, project=project)
    response = Client().get(
        f"/key/{token}/projects/demo/forms/housing_inspection/{form.md5}/media/households.csv"
        f"?{DEVICE}",
        headers=COLLECT_HEADERS,
    )
    assert response.status_code == 200
    return [row["name"] for row in csv.DictReader(io.StringIO(body(response).decode()))]


def test_the_reinspection_sample_lands_on_another_workers_phone_list(world, inspection):
    case = accepted(world, opened(world))
    home = case.household
    worker_b = world.places.worker_b
    assert str(home.uuid) not in phone_list(worker_b, world.project, inspection)

    # Only the county draws.
    assert call(world.places.supervisor_a, "post", SAMPLES + "?seed=7", {}).status_code == 403
    drawn = call(world.county, "post", SAMPLES + "?seed=7", {})
    assert drawn.status_code == 201
    sample = drawn.json()
    assert (sample["seed"], sample["share"], sample["population"]) == (7, 10, 1)
    # The only field worker who is not the household's helper.
    assert sample["drawn"] == [
        {
            "case": case.pk,
            "household_label": home.label,
            "village_name": "Village A1",
            "reinspector": str(worker_b),
        }
    ]
    assert Household.objects.get(pk=home.pk).reinspector == worker_b
    listed = phone_list(worker_b, world.project, inspection)
    assert listed[0] == str(home.uuid)  # listed first
    assert str(home.uuid) in phone_list(world.places.worker_a, world.project, inspection)
    # A second draw finds nothing left to sample.
    again = call(world.county, "post", SAMPLES, {})
    assert again.json()["population"] == 0
    assert ReinspectionSample.objects.count() == 2


def test_the_sample_takes_the_projects_share(world):
    CaseworkSettings.objects.create(project=world.project, reinspection_share=50)
    cases = [accepted(world, opened(world, f"SH-{n}")) for n in range(3)]
    drawn = call(world.county, "post", SAMPLES + "?seed=11", {}).json()
    assert (drawn["population"], len(drawn["drawn"])) == (3, 2)  # half of 3, rounded up
    assert {row["case"] for row in drawn["drawn"]} <= {case.pk for case in cases}
    repeated = sorted(row["case"] for row in drawn["drawn"])
    assert repeated == sorted(
        Renovation.objects.filter(sample_id=drawn["id"]).values_list("case_id", flat=True)
    )


def test_department_staff_reach_no_renovation(world):
    from tests.casework.test_rectification_access import staff

    case = accepted(world, opened(world))
    housing = staff(world.project, "housing_staff", "housing")
    assert call(housing, "get", f"{API}/{case.pk}").status_code == 403
    assert call(
        housing, "post", f"{CASES}/{case.pk}/decide", {"decision": "approve"}
    ).status_code in (
        403,
        404,
    )
    paid = call(
        housing, "post", f"{API}/{case.pk}/payment", {"amount": "1", "paid_on": "2026-12-07"}
    )
    assert paid.status_code == 403
    assert Renovation.objects.get(case=case).paid_on is None
