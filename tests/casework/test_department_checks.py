"""The comparison with the departments' records (seed 003: 两公示一比对一公告): a vehicle in the
traffic police's file of a household proposed for inclusion blocks its county approval until a
supervisor has verified it; the case shows what the departments found to those who decide."""

import io
from datetime import date

import pytest
from django.utils import translation

from backend.audit.models import AccessKind, AccessLog
from backend.casework.errors import RecordsNotVerified
from backend.casework.models import CaseState, Decision, Kind, TriggerSource
from backend.casework.selectors import case_detail
from backend.casework.services import Trigger, case_open, case_step_decide
from backend.crosscheck.idnumbers import check_digit
from backend.crosscheck.keys import id_hash
from backend.crosscheck.models import DepartmentTemplate, Member
from backend.flags.services import flag_clear
from backend.households.models import Category
from backend.pipeline.departments import department_file_import
from tests.casework.conftest import approve, fill, household
from tests.casework.test_api_cases import API, call

pytestmark = pytest.mark.django_db


def id_number(serial: int) -> str:
    first17 = f"52010119800101{serial:03d}"
    return first17 + check_digit(first17)


HEAD = id_number(31)


def with_member(home, number: str = HEAD, name: str = "王五"):
    Member.objects.create(household=home, position=1, name=name, id_hash=id_hash(number))
    return home


def traffic_file(world, rows: list[tuple[str, str]], when=date(2026, 11, 30)):
    template, _created = DepartmentTemplate.objects.get_or_create(
        project=world.project,
        name="交警车辆",
        defaults={
            "department": "traffic",
            "id_column": "身份证号",
            "columns": {"vehicle_value": "车辆价值"},
        },
    )
    text = "\n".join(["身份证号,车辆价值", *(f"{number},{value}" for number, value in rows)])
    return department_file_import(
        project=world.project,
        template=template,
        stream=io.BytesIO(text.encode("utf-8")),
        file_name="vehicles.csv",
        data_date=when,
        actor=world.county,
    )


def at_county(world, home, clock):
    case = case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        reason="收入骤降",
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    while case.step != "county_approval":
        case = approve(world, case, clock)
    fill(world, case)
    return case


def test_a_vehicle_blocks_the_county_approval_until_it_is_verified(world, fixed_clock):
    home = with_member(household(world, "DV-1"))
    traffic_file(world, [(HEAD, "86000")])
    case = at_county(world, home, fixed_clock)

    with translation.override("en"), pytest.raises(RecordsNotVerified) as refused:
        case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE)
    assert refused.value.details == [
        "王五: a vehicle worth ¥86,000 (Traffic police (vehicles), file of 30 November 2026)"
    ]
    assert "must be verified before the county approves" in str(refused.value)
    with translation.override("zh-hans"), pytest.raises(RecordsNotVerified) as refused:
        case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE)
    assert refused.value.details[0].startswith("王五：")
    assert "公安交管部门" in refused.value.details[0]
    assert "¥86,000" in refused.value.details[0]
    assert "2026年11月30日" in refused.value.details[0]
    case.refresh_from_db()
    assert case.step == "county_approval"

    flag = home.flags.get(code="dept_verify", state="open")
    flag_clear(flag=flag, actor=world.places.supervisor_a, note="车辆已于2026年10月转让")
    approved = case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE)

    assert approved.state == CaseState.APPROVED
    home.refresh_from_db()
    assert home.category == Category.MONITOR_MARGINAL


def test_a_vehicle_under_the_limit_blocks_nothing(world, fixed_clock):
    home = with_member(household(world, "DV-2"))
    traffic_file(world, [(HEAD, "30000")])
    case = at_county(world, home, fixed_clock)

    assert case_step_decide(case=case, actor=world.county, decision=Decision.APPROVE).state == (
        CaseState.APPROVED
    )


def test_the_township_reads_the_findings_and_field_workers_do_not(world, fixed_clock):
    home = with_member(household(world, "DV-3"))
    case = case_open(
        household=home,
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )
    assert case_detail(case, actor=world.places.supervisor_a).department_checks == []

    traffic_file(world, [(HEAD, "128000")])

    with translation.override("en"):
        checks = case_detail(case, actor=world.places.supervisor_a).department_checks
    assert checks == [
        "王五: a vehicle worth ¥128,000 (Traffic police (vehicles), file of 30 November 2026)"
    ]
    assert case_detail(case, actor=world.places.worker_a).department_checks == []


def test_the_api_refuses_the_approval_with_409_and_logs_the_findings_read(world, fixed_clock):
    home = with_member(household(world, "DV-4"))
    traffic_file(world, [(HEAD, "86000")])
    case = at_county(world, home, fixed_clock)

    refused = call(world.county, "post", f"{API}/{case.pk}/decide", {"decision": "approve"})

    assert refused.status_code == 409
    assert refused.json()["code"] == "case.records_unverified"
    assert "¥86,000" in refused.json()["details"][0]
    read = call(world.places.supervisor_a, "get", f"{API}/{case.pk}")
    assert read.status_code == 200
    assert "¥86,000" in read.json()["department_checks"][0]
    log = AccessLog.objects.get(kind=AccessKind.VIEW_DEPARTMENT)
    assert (log.user, log.object_id, log.detail) == (
        world.places.supervisor_a,
        str(home.uuid),
        "case",
    )
    worker = call(world.places.worker_a, "get", f"{API}/{case.pk}")
    assert worker.json()["department_checks"] == []
    assert AccessLog.objects.filter(kind=AccessKind.VIEW_DEPARTMENT).count() == 1


def test_a_new_disability_certificate_opens_an_inclusion_once(world, fixed_clock):
    home = with_member(household(world, "DS-1", has_disabled="no"))
    template = DepartmentTemplate.objects.create(
        project=world.project,
        department="disabled",
        name="残联持证",
        id_column="身份证号",
        columns={"certified": "持证"},
    )

    def certificates(when):
        return department_file_import(
            project=world.project,
            template=template,
            stream=io.BytesIO(f"身份证号,持证\n{HEAD},是\n".encode()),
            file_name="certificates.csv",
            data_date=when,
            actor=world.county,
        )

    first = certificates(date(2026, 11, 30))

    (case,) = home.cases.all()
    assert (case.kind, case.state, case.step) == (Kind.INCLUSION, "open", "household_check")
    assert [(t.source, t.code) for t in case.triggers.all()] == [("flag", "dept_new_support")]
    assert (first.checked_households, first.flags_opened, first.cases_opened) == (1, 1, 1)

    second = certificates(date(2026, 12, 5))

    assert home.cases.count() == 1
    assert second.cases_opened == 0


def test_a_monitored_household_gets_no_case_from_the_records(world, fixed_clock):
    home = with_member(household(world, "DS-2", category="monitor_unstable", has_disabled="no"))
    home.included_on = date(2026, 1, 5)
    home.save(update_fields=["included_on"])
    DepartmentTemplate.objects.create(
        project=world.project,
        department="civil",
        name="民政低保",
        id_column="身份证号",
        columns={"dibao": "低保"},
    )
    record = department_file_import(
        project=world.project,
        template=DepartmentTemplate.objects.get(name="民政低保"),
        stream=io.BytesIO(f"身份证号,低保\n{HEAD},是\n".encode()),
        file_name="dibao.csv",
        data_date=date(2026, 11, 30),
        actor=world.county,
    )

    assert home.flags.filter(code="dept_new_support", state="open").exists()
    assert not home.cases.exists()
    assert (record.flags_opened, record.cases_opened) == (1, 0)


def test_the_case_page_shows_the_findings_to_the_county_and_logs_the_look(world, fixed_clock):
    from django.test import Client

    home = with_member(household(world, "DV-9"))
    traffic_file(world, [(HEAD, "86000")])
    case = at_county(world, home, fixed_clock)
    client = Client()
    client.force_login(world.county)
    page = client.get(f"/p/demo/cases/{case.pk}/")
    assert page.status_code == 200
    assert "a vehicle worth ¥86,000" in page.content.decode()
    assert AccessLog.objects.filter(
        kind=AccessKind.VIEW_DEPARTMENT, detail=f"case {case.pk}"
    ).exists()
