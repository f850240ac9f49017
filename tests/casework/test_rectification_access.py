"""Who sees and works rectification items: the offices of the area (a township its villages',
the county all), and department staff only the items handed to their department, nothing else
of the project; through the services and the real API."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from backend.accounts.access import access_project_by_slug
from backend.accounts.services import api_token_issue
from backend.casework.access import cases_for_actor, may_decide
from backend.casework.documents import case_document_add
from backend.casework.errors import CaseRecordInvalid
from backend.casework.models import Decision
from backend.casework.rectification import (
    Assignment,
    rectification_open_for_flag,
    rectification_open_for_village,
)
from backend.casework.services import case_step_decide, case_step_record
from backend.core.errors import PermissionDenied
from backend.households.access import households_for_actor
from backend.monitoring.engine import household_rules_apply
from backend.projects.models import Membership, Role
from tests.casework.conftest import household
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/projects/demo"


def staff(project, name, department, *areas):
    user = UserFactory(username=name, full_name=name)
    membership: Membership = MembershipFactory(
        project=project, user=user, role=Role.DEPARTMENT, department=department
    )
    membership.areas.set(areas)
    return user


def assignment(department=""):
    return Assignment(
        measure="落实资助政策",
        responsible_unit="县教育局",
        responsible_person="李老师",
        deadline=date(2026, 12, 31),
        department=department,
    )


@pytest.fixture
def items(world):
    """An unsafe house in A1 handed to housing, one in B1 handed to housing, and a village
    problem of A1 handed to education."""

    def flagged(code, village, helper):
        home = household(world, code, village=village, house_grade="D")
        home.helper = helper
        home.save(update_fields=["helper"])
        household_rules_apply(household=home)
        return home.flags.get(code="house_unsafe")

    a, _ = rectification_open_for_flag(
        flag=flagged("RA-A", world.places.a1, world.places.worker_a),
        actor=world.county,
        assignment=assignment("housing"),
    )
    b, _ = rectification_open_for_flag(
        flag=flagged("RA-B", world.places.b1, world.places.worker_b),
        actor=world.county,
        assignment=assignment("housing"),
    )
    school = rectification_open_for_village(
        project=world.project,
        village=world.places.a1,
        actor=world.county,
        problem="村小学校舍漏雨",
        assignment=assignment("education"),
    )
    return {"a": a, "b": b, "school": school}


def seen(world, actor):
    return set(cases_for_actor(actor=actor, project=world.project))


def call(user, method, path, body=None):
    _, secret = api_token_issue(user=user, name="tests")
    headers = {"Authorization": f"Bearer {secret}"}
    if body is None:
        return getattr(Client(), method)(path, headers=headers)
    return getattr(Client(), method)(
        path, data=body, content_type="application/json", headers=headers
    )


def test_the_offices_see_the_items_of_their_areas(world, items):
    assert seen(world, world.places.supervisor_a) == {items["a"], items["school"]}
    assert seen(world, world.places.admin_b) == {items["b"]}
    assert seen(world, world.county) == set(items.values())
    # A field worker reads the items of the households they help, not the village's own.
    assert seen(world, world.places.worker_a) == {items["a"]}


def test_department_staff_see_only_their_departments_items_and_no_household(world, items):
    housing = staff(world.project, "housing", "housing")
    housing_a = staff(world.project, "housing_a", "housing", world.places.a)
    education = staff(world.project, "education", "education")
    assert seen(world, housing) == {items["a"], items["b"]}
    assert seen(world, housing_a) == {items["a"]}
    assert seen(world, education) == {items["school"]}
    assert not households_for_actor(actor=housing, project=world.project).exists()
    with pytest.raises(PermissionDenied):
        access_project_by_slug(housing, "demo", role=Role.COLLECTOR)


def test_department_staff_work_their_items_rectification_step_and_nothing_more(world, items):
    housing = staff(world.project, "housing", "housing")
    case = items["a"]
    assert may_decide(housing, case)
    assert not may_decide(staff(world.project, "education", "education"), case)
    with pytest.raises(CaseRecordInvalid):
        case_step_record(case=case, actor=housing, values={"deadline": "2027-06-30"})
    case_step_record(
        case=case, actor=housing, values={"progress": "已完成加固", "done_on": "2026-12-20"}
    )
    case_document_add(
        case=case,
        actor=housing,
        role="evidence",
        file=ContentFile(b"photo"),
        name="after.jpg",
        content_type="image/jpeg",
    )
    case = case_step_decide(case=case, actor=housing, decision=Decision.APPROVE)
    assert case.step == "township_first_check"
    assert not may_decide(housing, case)
    with pytest.raises(PermissionDenied):
        case_step_decide(case=case, actor=housing, decision=Decision.RETURN, comment="x")


def test_department_staff_cannot_withdraw_their_own_item(world, items):
    housing = staff(world.project, "housing", "housing")
    case = items["a"]
    with pytest.raises(PermissionDenied):
        case_step_decide(case=case, actor=housing, decision=Decision.REJECT, comment="不是问题")
    assert (case.steps.get().decision, type(case).objects.get(pk=case.pk).state) == ("", "open")
    # The village office that decides the step still withdraws an item opened by mistake.
    case = case_step_decide(
        case=case, actor=world.cadre_a1, decision=Decision.REJECT, comment="误报"
    )
    assert case.state == "rejected"


def test_the_ledger_api_lists_the_callers_items_with_their_owner_and_deadline(world, items):
    rows = call(world.places.supervisor_a, "get", API + "/rectifications").json()["results"]
    assert {row["id"] for row in rows} == {items["a"].pk, items["school"].pk}
    school = next(row for row in rows if row["id"] == items["school"].pk)
    assert (school["problem"], school["measure"], school["responsible_person"]) == (
        "村小学校舍漏雨",
        "落实资助政策",
        "李老师",
    )
    assert (school["deadline"], school["stage"], school["household"], school["village"]) == (
        "2026-12-31",
        "to_do",
        "",
        world.places.a1.code,
    )
    filtered = call(world.county, "get", API + "/rectifications?department=education").json()
    assert [row["id"] for row in filtered["results"]] == [items["school"].pk]
    assert call(world.county, "get", API + "/rectifications?stage=nonsense").status_code == 422


def test_department_staff_reach_their_items_through_the_api_and_nothing_else(world, items):
    housing = staff(world.project, "housing", "housing")
    rows = call(housing, "get", API + "/rectifications").json()["results"]
    assert {row["id"] for row in rows} == {items["a"].pk, items["b"].pk}
    assert call(housing, "get", API + f"/cases/{items['a'].pk}").status_code == 200
    assert call(housing, "get", API + f"/cases/{items['school'].pk}").status_code == 404
    record = {"record": {"progress": "施工中"}}
    assert call(housing, "post", API + f"/cases/{items['a'].pk}/record", record).status_code == 200
    for path in ("/households", "/flags", "/cases", "/cases/waiting"):
        assert call(housing, "get", API + path).status_code == 403, path
    opened = {
        "flag": items["a"].flag_id,
        "measure": "x",
        "responsible_unit": "x",
        "responsible_person": "x",
        "deadline": "2026-12-31",
    }
    assert call(housing, "post", API + "/rectifications", opened).status_code == 403


def test_the_offices_open_items_through_the_api(world):
    home = household(world, "RA-API", house_grade="D")
    household_rules_apply(household=home)
    flag = home.flags.get(code="house_unsafe")
    body = {
        "flag": flag.pk,
        "measure": "拆除重建",
        "responsible_unit": "乡住建所",
        "responsible_person": "张工",
        "deadline": "2027-03-31",
        "department": "housing",
    }
    assert call(world.places.supervisor_b, "post", API + "/rectifications", body).status_code == 404
    created = call(world.places.supervisor_a, "post", API + "/rectifications", body)
    assert created.status_code == 201, created.content
    assert created.json()["case"]["kind"] == "rectification"
    again = call(world.county, "post", API + "/rectifications", body)
    assert (again.status_code, again.json()["case"]["id"]) == (200, created.json()["case"]["id"])
    village = {**body, "village": world.places.b1.code, "problem": "通组道路损毁"}
    del village["flag"]
    assert (
        call(world.places.supervisor_a, "post", API + "/rectifications/village", village)
    ).status_code == 404
    made = call(world.places.admin_b, "post", API + "/rectifications/village", village)
    assert made.status_code == 201, made.content
    assert made.json()["case"]["village"] == world.places.b1.code
    past = {**village, "deadline": "2026-01-01"}
    assert call(world.county, "post", API + "/rectifications/village", past).status_code == 400
