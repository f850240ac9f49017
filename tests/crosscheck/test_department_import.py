"""A department's file matched against the households' members: the facts raise the flags the
rules call for, the file and its ID numbers are not kept, refused rows are named by number."""

import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from backend.audit.models import AccessKind, AccessLog
from backend.core.errors import InvalidInput
from backend.crosscheck.idnumbers import check_digit
from backend.crosscheck.imports import department_import_read, department_import_start
from backend.crosscheck.keys import id_hash
from backend.crosscheck.models import (
    DepartmentFact,
    DepartmentTemplate,
    Member,
    MemberStatus,
    RowProblem,
)
from backend.flags.catalogue import flag_details
from backend.flags.models import FlagState
from backend.households.models import Household
from backend.pipeline.departments import department_file_import, department_households_check
from forms.services import Upload, form_publish
from tests.factories import ProjectFactory
from tests.households.entity_forms import send

REGISTRATION = """
| survey |
|        | type         | name    | label   | save_to   |
|        | text         | village | Village | village   |
|        | text         | hh_code | Code    | hh_code   |
|        | text         | head    | Head    | head_name |
|        | begin_repeat | members | Members |           |
|        | text         | m_name  | Name    |           |
|        | text         | m_rel   | Rel     |           |
|        | text         | m_idno  | ID      |           |
|        | date         | m_birth | Birth   |           |
|        | end_repeat   | members |         |           |
| entities |
|          | list_name  | label                            |
|          | households | concat(${hh_code}, ' ', ${head}) |
| settings |
|          | form_id | version |
|          | reg     | 1       |
"""


def id_number(serial: int) -> str:
    first17 = f"52010119800101{serial:03d}"
    return first17 + check_digit(first17)


HEAD, CHILD, NEIGHBOUR = id_number(11), id_number(12), id_number(21)


def registration_xml(code: str, members: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<members><m_name>{name}</m_name><m_rel>head</m_rel><m_idno>{number}</m_idno>"
        "<m_birth>1980-01-01</m_birth></members>"
        for name, number in members
    )
    return (
        f'<data id="reg" version="1"><village>demo-v01</village><hh_code>{code}</hh_code>'
        f"<head>{members[0][0]}</head>{entries}<meta><instanceID>uuid:{uuid.uuid4()}"
        f'</instanceID><entity dataset="households" create="1" id="{uuid.uuid4()}">'
        f"<label>{code}</label></entity></meta></data>"
    ).encode()


@pytest.fixture
def homes(collect, project, alice, village):
    form_publish(
        project=project, source=Upload("reg.md", REGISTRATION.encode()), published_by=alice
    )
    send(collect, registration_xml("A-1", [("张三", HEAD), ("张小", CHILD.lower())]))
    send(collect, registration_xml("B-1", [("李四", NEIGHBOUR)]))
    return {h.code: h for h in project.households.all()}


def template(project, department: str, **columns: str) -> DepartmentTemplate:
    return DepartmentTemplate.objects.create(
        project=project,
        department=department,
        name=f"{department} file",
        id_column="身份证号",
        columns=columns,
    )


def csv_file(rows: list[list[str]], header: list[str], encoding="utf-8-sig") -> io.BytesIO:
    text = "\n".join(",".join(row) for row in [header, *rows])
    return io.BytesIO(text.encode(encoding))


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Import a file; the rules run once it is committed, as after a real request."""

    def run(project, alice, tmpl, stream, name="file.csv", when=date(2026, 11, 30)):
        with django_capture_on_commit_callbacks(execute=True):
            return department_file_import(
                project=project,
                template=tmpl,
                stream=stream,
                file_name=name,
                data_date=when,
                actor=alice,
            )

    return run


def open_codes(household) -> set[str]:
    return set(household.flags.filter(state=FlagState.OPEN).values_list("code", flat=True))


def test_registration_keeps_members_with_hashed_id_numbers(homes):
    members = list(Member.objects.filter(household=homes["A-1"]).order_by("position"))
    assert [m.name for m in members] == ["张三", "张小"]
    assert all(len(m.id_hash) == 64 for m in members)
    assert HEAD not in {m.id_hash for m in members}
    # The lower-case x of the child's number is the same person as the upper-case one.
    assert members[1].id_hash == Member.objects.get(pk=members[1].pk).id_hash


def test_an_unenrolled_member_raises_the_medical_flag(project, alice, homes, run_import):
    tmpl = template(project, "health", insured="参保状态")
    stream = csv_file(
        [[HEAD, "已参保"], [CHILD, "未参保"], [NEIGHBOUR, "参保"]], ["身份证号", "参保状态"]
    )

    record = run_import(project, alice, tmpl, stream)

    assert (record.rows, record.matched_rows, record.matched_households) == (3, 3, 2)
    assert "dept_uninsured" in open_codes(homes["A-1"])
    assert "dept_uninsured" not in open_codes(homes["B-1"])
    flag = homes["A-1"].flags.get(code="dept_uninsured")
    with translation.override("en"):
        assert flag_details(flag.code, flag.evidence).startswith("1 member(s) without basic")
    with translation.override("zh-hans"):
        assert "医保" in flag_details(flag.code, flag.evidence)


def test_no_id_number_of_a_department_file_is_stored(project, alice, homes, run_import):
    tmpl = template(project, "health", insured="参保状态")
    stranger = id_number(99)
    stream = csv_file(
        [[HEAD, "未参保"], [stranger, "未参保"], ["123", "未参保"]], ["身份证号", "参保状态"]
    )

    record = run_import(project, alice, tmpl, stream)

    stored = [
        *DepartmentFact.objects.values_list("value", flat=True),
        *RowProblem.objects.values_list("message", flat=True),
        record.file_name,
    ]
    assert not any(number in text for text in stored for number in (HEAD, stranger, "123"))
    assert list(RowProblem.objects.values_list("row", flat=True)) == [4]
    assert record.bad_rows == 1
    log = AccessLog.objects.get(kind=AccessKind.IMPORT_DEPARTMENT)
    assert log.user == alice
    assert log.object_id == str(record.pk)


def test_a_vehicle_raises_a_verify_flag_but_is_no_hardship(project, alice, homes, run_import):
    tmpl = template(project, "traffic", vehicle_value="车辆价值")
    run_import(project, alice, tmpl, csv_file([[NEIGHBOUR, "128000"]], ["身份证号", "车辆价值"]))

    codes = open_codes(homes["B-1"])
    assert "dept_verify" in codes
    assert "not_monitored" not in codes
    flag = homes["B-1"].flags.get(code="dept_verify")
    with translation.override("en"):
        assert "vehicle worth 128,000 yuan (limit 50,000)" in flag_details(flag.code, flag.evidence)


def test_a_newer_file_without_the_fact_closes_the_flag(project, alice, homes, run_import):
    tmpl = template(project, "traffic", vehicle_value="车辆价值")
    run_import(project, alice, tmpl, csv_file([[NEIGHBOUR, "128000"]], ["身份证号", "车辆价值"]))
    assert "dept_verify" in open_codes(homes["B-1"])

    run_import(
        project,
        alice,
        tmpl,
        csv_file([[HEAD, "8000"]], ["身份证号", "车辆价值"]),
        when=date(2026, 12, 5),
    )

    assert "dept_verify" not in open_codes(homes["B-1"])


def test_a_member_who_moved_out_is_reported_not_acted_on(project, alice, homes, run_import):
    Member.objects.filter(household=homes["B-1"]).update(status=MemberStatus.MOVED_OUT)
    tmpl = template(project, "traffic", vehicle_value="车辆价值")

    record = run_import(
        project, alice, tmpl, csv_file([[NEIGHBOUR, "128000"]], ["身份证号", "车辆价值"])
    )

    assert record.absent_members == 1
    assert "dept_verify" not in open_codes(homes["B-1"])


def test_gb18030_csv_and_xlsx_are_read(project, alice, homes, run_import):
    tmpl = template(project, "health", insured="参保状态")
    chinese = csv_file([[CHILD, "未参保"]], ["身份证号", "参保状态"], encoding="gb18030")
    assert run_import(project, alice, tmpl, chinese).matched_rows == 1

    book = Workbook()
    sheet = book.active
    sheet.append(["身份证号", "参保状态"])
    sheet.append([CHILD, "未参保"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert run_import(project, alice, tmpl, buffer, name="f.xlsx").matched_rows == 1


def test_a_bad_value_names_its_row_and_column(project, alice, homes, run_import):
    tmpl = template(project, "traffic", vehicle_value="车辆价值")
    record = run_import(project, alice, tmpl, csv_file([[HEAD, "很多"]], ["身份证号", "车辆价值"]))

    problem = RowProblem.objects.get(source=record)
    assert problem.row == 2
    assert "车辆价值" in problem.message


def test_a_template_of_another_project_is_refused(project, alice, homes, run_import):
    other = template(ProjectFactory(slug="other"), "health", insured="参保状态")
    with pytest.raises(InvalidInput):
        run_import(project, alice, other, csv_file([[HEAD, "未参保"]], ["身份证号", "参保状态"]))
    assert not DepartmentFact.objects.exists()


def test_an_unreadable_file_leaves_nothing(project, alice, homes, run_import):
    tmpl = template(project, "health", insured="参保状态")
    with pytest.raises(InvalidInput):
        run_import(project, alice, tmpl, io.BytesIO(b"PK\x03\x04not a workbook"), name="x.xlsx")
    record = tmpl.imports.get()
    assert (record.state, record.rows) == ("refused", 0)
    assert "CSV or XLSX" in record.refusal
    assert not DepartmentFact.objects.exists()


def test_the_import_page_counts_rows_households_flags_and_cases(
    client, project, alice, homes, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    tmpl = template(project, "health", insured="参保状态", out_of_pocket="自付费用")
    rows = [[HEAD, "未参保", "25000"], [NEIGHBOUR, "参保", "100"], [id_number(98), "参保", "0"]]
    upload = SimpleUploadedFile(
        "医保.csv", csv_file(rows, ["身份证号", "参保状态", "自付费用"]).read()
    )
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("crosscheck:import", args=[project.slug]),
            {"template": tmpl.pk, "data_date": "2026-11-30", "file": upload},
        )

    assert sent.status_code == 302
    record = tmpl.imports.get()
    assert (record.rows, record.matched_households, record.checked_households) == (3, 2, 2)
    # uninsured, and costs above the limit (an inclusion opens); B-1: nothing.
    assert open_codes(homes["A-1"]) >= {"dept_uninsured", "dept_high_costs"}
    assert (record.flags_opened, record.cases_opened) == (len(open_codes(homes["A-1"])), 1)
    (case,) = homes["A-1"].cases.all()
    assert (case.kind, case.category) == ("inclusion", "monitor_sudden")
    assert not homes["B-1"].cases.exists()

    page = client.get(reverse("crosscheck:import_detail", args=[project.slug, record.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for label, count in (
        ("Rows", 3),
        ("Households matched", 2),
        ("Flags raised", record.flags_opened),
        ("Cases opened", 1),
    ):
        assert f"<dt>{label}</dt><dd>{count}</dd>" in text
    listed = client.get(reverse("crosscheck:records", args=[project.slug])).content.decode()
    assert f'<td class="num">{record.flags_opened}</td>' in listed


def test_a_member_who_died_opens_no_case(project, alice, homes, run_import):
    Member.objects.filter(household=homes["B-1"]).update(status=MemberStatus.DIED)
    tmpl = template(project, "disabled", certified="持证")

    record = run_import(project, alice, tmpl, csv_file([[NEIGHBOUR, "是"]], ["身份证号", "持证"]))

    assert (record.matched_rows, record.absent_members) == (1, 1)
    assert (record.flags_opened, record.cases_opened) == (0, 0)
    assert not homes["B-1"].flags.filter(state=FlagState.OPEN).exists()
    assert not homes["B-1"].cases.exists()


def test_a_second_run_of_the_check_opens_nothing(project, alice, homes, run_import):
    tmpl = template(project, "civil", extreme_poor="特困")
    record = run_import(project, alice, tmpl, csv_file([[CHILD, "是"]], ["身份证号", "特困"]))
    assert "dept_new_support" in open_codes(homes["A-1"])
    assert record.cases_opened == 1

    department_households_check(record)

    record.refresh_from_db()
    assert (record.flags_opened, record.cases_opened) == (0, 0)
    assert homes["A-1"].cases.count() == 1


def many_homes(project, village, count: int, first: int = 100) -> list:
    """Households with one member each, whose ID numbers are id_number(first...)."""
    homes = []
    for n in range(first, first + count):
        home = Household.objects.create(project=project, code=f"M-{n}", label="M", village=village)
        Member.objects.create(
            household=home, position=1, name=f"成员{n}", id_hash=id_hash(id_number(n))
        )
        homes.append(home)
    return homes


# (department, fact, column, what the file writes, the flag it raises): two files of different
# departments, so that the second check reads no household of the first file again.
UNINSURED = ("health", "insured", "参保状态", "未参保", "dept_uninsured")
NOT_ENROLLED = ("education", "enrolled", "在校", "否", "dept_not_enrolled")


def check_queries(project, alice, village, count: int, first: int, kind: tuple) -> tuple[int, int]:
    """(queries of the check, flags it opened) for a file naming `count` new households'
    members with a fact that raises a flag asking for no case."""
    department, fact, column, written, code = kind
    homes = many_homes(project, village, count, first)
    tmpl = template(project, department, **{fact: column})
    record = department_import_start(
        project=project, template=tmpl, file_name="f.csv", data_date=date(2026, 11, 30), actor=alice
    )
    rows = [[id_number(n), written] for n in range(first, first + count)]
    department_import_read(record, csv_file(rows, ["身份证号", column]))
    with CaptureQueriesContext(connection) as queries:
        department_households_check(record)
    record.refresh_from_db()
    assert all(code in open_codes(home) for home in homes)
    return len(queries), record.flags_opened


def test_the_check_reads_its_households_in_batches(project, alice, village):
    few, opened_few = check_queries(project, alice, village, 3, 100, UNINSURED)
    many, opened_many = check_queries(project, alice, village, 30, 200, NOT_ENROLLED)

    assert (opened_few, opened_many) == (3, 30)
    # Not 10 times as many (the first check also reads the rules and lines the second finds kept).
    assert many <= few
