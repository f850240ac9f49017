"""More time for a rectification item: the township or the county moves its deadline with a
reason; the opening's deadline stays, the item is due and overdue by the new one, and the
timeline says it in a sentence. Nobody else moves it (the helper, the village, the department
that has to meet it), a move without a reason is refused, and a refusal changes nothing."""

from datetime import date

import pytest

from backend.casework.errors import CaseRecordInvalid, CaseRefused
from backend.casework.extensions import rectification_deadline_extend
from backend.casework.ledger import ledger_row
from backend.casework.models import Case, DeadlineExtension, Decision
from backend.casework.rectification import rectification_open_for_flag
from backend.casework.services import case_step_decide, case_step_record
from backend.core.errors import PermissionDenied
from tests.casework.pages import case_url, shown, signed_in
from tests.casework.test_rectification import DEADLINE, assignment, unsafe_house, worked
from tests.casework.test_rectification_access import staff

pytestmark = pytest.mark.django_db

LATER = date(2027, 1, 31)
API = "/api/v1/projects/demo"


@pytest.fixture
def item(world) -> Case:
    _home, flag = unsafe_house(world)
    case, _opened = rectification_open_for_flag(
        flag=flag, actor=world.county, assignment=assignment(department="housing")
    )
    return case


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_the_township_extends_the_deadline_and_the_opening_deadline_stays(world, item):
    rectification_deadline_extend(
        case=item, actor=world.places.supervisor_a, deadline=LATER, reason="雨季无法施工"
    )

    case = _fresh(item)
    waiting = case.steps.get(decision="")
    assert (case.due_on, waiting.due_on) == (LATER, LATER)
    assert waiting.record["deadline"] == DEADLINE.isoformat()
    extension = case.extensions.get()
    assert (extension.previous_deadline, extension.deadline, extension.reason) == (
        DEADLINE,
        LATER,
        "雨季无法施工",
    )
    row = ledger_row(case, today=date(2027, 1, 10))
    assert (row.deadline, row.original_deadline, row.overdue) == (LATER, DEADLINE, False)
    assert ledger_row(case, today=date(2027, 2, 1)).overdue


def test_the_overdue_state_follows_the_new_deadline(world, item):
    rectification_deadline_extend(
        case=item, actor=world.county, deadline=LATER, reason="资金未到位"
    )
    case = _fresh(item)
    assert not case.is_overdue(date(2027, 1, 5))  # past the opening's deadline, not the new one
    assert case.is_overdue(date(2027, 2, 1))


def test_a_later_record_or_a_return_keeps_the_extended_deadline(world, item):
    rectification_deadline_extend(
        case=item, actor=world.places.supervisor_a, deadline=LATER, reason="雨季无法施工"
    )
    case_step_record(case=_fresh(item), actor=world.cadre_a1, values={"progress": "已备料"})
    assert _fresh(item).due_on == LATER
    case = worked(world, _fresh(item))
    case = case_step_decide(
        case=case, actor=world.places.supervisor_a, decision=Decision.RETURN, comment="墙体仍开裂"
    )
    assert (case.step, _fresh(item).due_on) == ("rectify", LATER)


def test_a_second_extension_counts_from_the_first(world, item):
    rectification_deadline_extend(case=item, actor=world.county, deadline=LATER, reason="一")
    rectification_deadline_extend(
        case=item, actor=world.places.supervisor_a, deadline=date(2027, 2, 28), reason="二"
    )
    second = _fresh(item).extensions.order_by("pk").last()
    assert (second.previous_deadline, second.deadline) == (LATER, date(2027, 2, 28))


@pytest.mark.parametrize(
    ("deadline", "reason"),
    [(LATER, ""), (LATER, "   "), (DEADLINE, "原期限"), (date(2026, 12, 20), "提前")],
    ids=["no reason", "blank reason", "same deadline", "earlier deadline"],
)
def test_an_extension_without_a_reason_or_to_an_earlier_day_is_refused(
    world, item, deadline, reason
):
    with pytest.raises(CaseRecordInvalid):
        rectification_deadline_extend(
            case=item, actor=world.places.supervisor_a, deadline=deadline, reason=reason
        )
    assert not DeadlineExtension.objects.exists()
    assert _fresh(item).due_on == DEADLINE


def test_the_helper_the_village_the_department_and_another_township_cannot_extend(world, item):
    housing = staff(world.project, "housing_staff", "housing")
    for person in (world.places.worker_a, world.cadre_a1, housing, world.places.supervisor_b):
        with pytest.raises(PermissionDenied):
            rectification_deadline_extend(case=item, actor=person, deadline=LATER, reason="理由")
    assert not DeadlineExtension.objects.exists()
    assert _fresh(item).due_on == DEADLINE


def test_an_item_at_a_check_or_a_status_case_has_no_deadline_to_extend(world, item):
    case = worked(world, item)
    with pytest.raises(CaseRefused):
        rectification_deadline_extend(
            case=case, actor=world.places.supervisor_a, deadline=LATER, reason="理由"
        )
    assert not DeadlineExtension.objects.exists()


def test_the_api_extends_and_lists_the_extension_in_words(world, item):
    client = signed_in(world.places.supervisor_a)
    response = client.post(
        f"{API}/cases/{item.pk}/deadline",
        {"deadline": "2027-01-31", "reason": "雨季无法施工"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["case"]["due_on"] == "2027-01-31"
    (extension,) = body["extensions"]
    assert (extension["previous_deadline"], extension["deadline"]) == ("2026-12-31", "2027-01-31")
    assert "雨季无法施工" in extension["words"]
    assert "supervisor_a" in extension["words"]
    ledger = client.get(f"{API}/rectifications").json()["results"]
    assert (ledger[0]["deadline"], ledger[0]["original_deadline"]) == ("2027-01-31", "2026-12-31")


def test_the_api_refuses_a_missing_reason_and_the_department(world, item):
    url = f"{API}/cases/{item.pk}/deadline"
    no_reason = signed_in(world.places.supervisor_a).post(
        url, {"deadline": "2027-01-31", "reason": ""}, content_type="application/json"
    )
    housing = staff(world.project, "housing_staff", "housing")
    department = signed_in(housing).post(
        url, {"deadline": "2027-01-31", "reason": "理由"}, content_type="application/json"
    )
    cadre = signed_in(world.cadre_a1).post(
        url, {"deadline": "2027-01-31", "reason": "理由"}, content_type="application/json"
    )
    assert (no_reason.status_code, department.status_code, cadre.status_code) == (422, 403, 403)
    assert not DeadlineExtension.objects.exists()


def test_the_case_page_offers_the_form_to_the_township_and_shows_the_sentence(world, item):
    township = signed_in(world.places.supervisor_a, "zh-hans")
    assert 'id="extend"' in township.get(case_url(item)).content.decode()
    assert 'id="extend"' not in signed_in(world.cadre_a1).get(case_url(item)).content.decode()

    done = township.post(case_url(item, "deadline"), {"deadline": "2027-01-31", "reason": "雨季"})
    assert done.status_code == 302
    text = shown(township.get(case_url(item)))
    assert "延长至" in text
    assert "雨季" in text
    refused = signed_in(world.cadre_a1).post(
        case_url(item, "deadline"), {"deadline": "2027-02-28", "reason": "再延"}
    )
    assert refused.status_code == 403
    blank = township.post(case_url(item, "deadline"), {"deadline": "2027-02-28", "reason": ""})
    assert blank.status_code == 400
    assert DeadlineExtension.objects.count() == 1
