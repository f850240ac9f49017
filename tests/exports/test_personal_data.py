"""Personal data in form exports (ID numbers, health and disability answers): masked as the pages
mask it, unless a project admin asks for it, which is written to the access log. The second half
checks, on PostgreSQL, that COPY writes the same bytes as the Python writer on tricky answers."""

import csv
import io
import zipfile

import pytest
from django.db import connection

from backend.audit.models import AccessKind, AccessLog
from backend.core.errors import InvalidInput, PermissionDenied
from backend.exports import copy_csv, form_export
from backend.exports.models import ExportState
from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.exports.conftest import content
from tests.exports.test_api_exports import _post

FORM = """
| survey |
|        | type                 | name       | label::English (en) | label::中文 (zh) |
|        | text                 | head       | Head                | 户主             |
|        | text                 | head_idno  | ID number           | 身份证号         |
|        | select_one yn        | health_bad | Poor health         | 健康差           |
|        | geopoint             | home       | Home                | 住址             |
|        | select_multiple risk | risks      | Risks               | 风险             |
|        | integer              | size       | Household size      | 人数             |
|        | begin_repeat         | members    | Member              | 成员             |
|        | text                 | m_name     | Name                | 姓名             |
|        | text                 | m_idno     | ID number           | 身份证号         |
|        | select_multiple dis  | m_disab    | Disability          | 残疾             |
|        | begin_repeat         | jobs       | Job                 | 工作             |
|        | text                 | j_title    | Job title           | 工作名称         |
|        | geopoint             | j_where    | Workplace           | 工作地点         |
|        | end_repeat           | jobs       |                     |                  |
|        | end_repeat           | members    |                     |                  |
| choices |
|         | list_name | name     | label::English (en)   | label::中文 (zh) |
|         | yn        | yes      | Yes                   | 是               |
|         | yn        | no       | No                    | 否               |
|         | risk      | illness  | Illness, "serious"    | 因病             |
|         | risk      | disaster | Disaster              | 因灾             |
|         | risk      | other    | Other                 | 其他             |
|         | dis       | eye      | Sight                 | 视力             |
|         | dis       | leg      | Walking               | 肢体             |
| settings |
|          | form_id  | version | form_title |
|          | private  | 1       | Private    |
"""

ANSWERS = [
    {
        "head": 'Wang, "Big" Li',
        "head_idno": "52010219900101123X",
        "health_bad": "yes",
        "home": "26.5 106.7 900 5",
        "risks": "illness  other",
        "size": "4",
        "members": [
            {
                "m_name": "Li\nsecond line",
                "m_idno": "123",
                "m_disab": "eye leg",
                "jobs": [
                    {"j_title": "Farmer,\r\nand more", "j_where": "26.6 106.8 0 10"},
                    "not an entry",
                    {"j_title": ""},
                ],
            },
            5,
            {"m_name": "张三 𝔘nicode 🙂", "m_disab": "", "m_idno": "  "},
        ],
    },
    {"head": "", "home": "nan 1e5 -0 .5", "risks": " \t", "size": 3, "members": "no list"},
    {},
    {"head": 'ends with a quote"', "risks": "disaster unknown", "home": "1 2", "health_bad": "no"},
    {
        "head": "\\.",
        "head_idno": "",
        # Four numbers, but the first too long to be read as one (more than 30 characters).
        "home": "-26.1234567890123456789012345678 106.5 0 5",
        "members": [{"jobs": [{"j_where": "x 2 3 4"}]}],
    },
]


@pytest.fixture
def private(project, alice, bob):
    version = form_publish(
        project=project, source=Upload("private.md", FORM.encode()), published_by=alice
    ).version
    for number, fields in enumerate(ANSWERS):
        Submission.objects.create(
            project=project,
            form=version.form,
            form_version=version,
            instance_id=f"uuid:p{number}",
            device_id="collect:phone" if number % 2 else "",
            submitted_by=bob,
            xml="<data/>",
            xml_sha256=str(number),
            fields=fields,
        )
    return version


def _tables(export) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content(export))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rows(export, name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_tables(export)[name].decode("utf-8-sig"))))


def test_personal_data_is_masked_by_default(private, sam, project, run_export):
    export = run_export(sam, project, "form_csv", form="private", split_select_multiple=True)

    assert export.state == ExportState.DONE, export.error
    main = _rows(export, "private.csv")
    header = main[0]
    first = dict(zip(header, main[1], strict=True))
    assert (first["head"], first["head_idno"], first["health_bad"]) == (
        'Wang, "Big" Li',
        "**************123X",
        "****",
    )
    members = _rows(export, "members.csv")
    li = dict(zip(members[0], members[1], strict=True))
    # Split columns of a personal select_multiple would tell the answer: masked too.
    assert (li["m_idno"], li["m_disab"], li["m_disab/eye"], li["m_disab/leg"]) == (
        "****",
        "****",
        "****",
        "****",
    )
    zhang = dict(zip(members[0], members[2], strict=True))
    assert (zhang["m_disab"], zhang["m_disab/eye"]) == ("", "")  # unanswered stays empty
    assert not AccessLog.objects.exists()


def test_admin_exports_personal_data_and_it_is_logged(private, alice, project, run_export):
    export = run_export(alice, project, "form_xlsx", form="private", personal_data=True)

    assert export.state == ExportState.DONE, export.error
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_type, log.object_id) == (
        alice,
        AccessKind.REVEAL,
        "export",
        str(export.pk),
    )
    csv_export = run_export(alice, project, "form_csv", form="private", personal_data=True)
    first = dict(zip(*_rows(csv_export, "private.csv")[:2], strict=True))
    assert (first["head_idno"], first["health_bad"]) == ("52010219900101123X", "yes")
    assert AccessLog.objects.count() == 2


def test_only_admins_may_export_personal_data(private, sam, project, run_export):
    with pytest.raises(PermissionDenied):
        run_export(sam, project, "form_csv", form="private", personal_data=True)
    with pytest.raises(InvalidInput):
        run_export(sam, project, "households_csv", personal_data=True)
    assert not AccessLog.objects.exists()


def test_api_refuses_personal_data_to_a_supervisor(
    private, sam, mallory, django_capture_on_commit_callbacks
):
    from django.test import Client

    body = {"kind": "form_csv", "form": "private", "personal_data": True}
    for user, status in ((sam, 403), (mallory, 404)):
        client = Client()
        client.force_login(user)
        response = _post(client, body, django_capture_on_commit_callbacks)
        assert response.status_code == status, response.content
    assert not AccessLog.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"split_select_multiple": True},
        {"labels": True, "language": "zh", "split_select_multiple": True},
        {"labels": True, "language": "en", "personal_data": True},
        {"split_select_multiple": True, "personal_data": True},
    ],
)
def test_copy_writes_the_same_bytes_as_python(
    params, private, alice, project, run_export, monkeypatch
):
    by_copy = _tables(run_export(alice, project, "form_csv", form="private", **params))
    monkeypatch.setattr(form_export, "COPY_CSV", False)
    by_python = _tables(run_export(alice, project, "form_csv", form="private", **params))

    assert list(by_copy) == list(by_python) == ["private.csv", "members.csv", "jobs.csv"]
    for name, expected in by_python.items():
        assert by_copy[name] == expected, name
    # A header and 3 rows, plus the line break inside a quoted job title.
    assert by_python["jobs.csv"].count(b"\r\n") == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_progress_is_saved_while_copy_streams(private, alice, project, run_export, monkeypatch):
    # Save at every block: the side connection must not wait on the one streaming the COPY.
    monkeypatch.setattr("backend.exports.progress._EVERY_ROWS", 1)
    monkeypatch.setattr("backend.exports.progress._EVERY_SECONDS", 0.0)
    export = run_export(alice, project, "form_csv", form="private")

    assert (export.state, export.progress, export.row_count) == (ExportState.DONE, 100, 5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # the copying connections see committed rows only
@pytest.mark.parametrize(
    "params",
    [{}, {"labels": True, "language": "zh", "split_select_multiple": True, "personal_data": True}],
)
def test_parallel_copy_writes_the_same_bytes_as_python(
    params, private, alice, project, run_export, monkeypatch
):
    # Large exports copy ranges of ids on several connections: here 1-2 submissions a range.
    monkeypatch.setattr(copy_csv, "PARALLEL_FROM", 1)
    monkeypatch.setattr(copy_csv, "PARTS", 3)
    monkeypatch.setattr(copy_csv, "_PROGRESS_SECONDS", 0.0)
    export = run_export(alice, project, "form_csv", form="private", **params)
    by_copy = _tables(export)
    monkeypatch.setattr(form_export, "COPY_CSV", False)
    by_python = _tables(run_export(alice, project, "form_csv", form="private", **params))

    assert (export.state, export.progress, export.row_count) == (ExportState.DONE, 100, 5)
    assert list(by_copy) == list(by_python) == ["private.csv", "members.csv", "jobs.csv"]
    for name, expected in by_python.items():
        assert by_copy[name] == expected, name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_failing_range_fails_the_export(private, alice, project, run_export, monkeypatch):
    monkeypatch.setattr(copy_csv, "PARALLEL_FROM", 1)
    real = copy_csv.table_sql

    def broken(path, ids_sql, since, until):
        sql = real(path, ids_sql, since, until)
        return sql.replace("ORDER BY", "AND 1 / 0 = 1 ORDER BY") if len(path) > 1 else sql

    monkeypatch.setattr(copy_csv, "table_sql", broken)
    export = run_export(alice, project, "form_csv", form="private")

    assert export.state == ExportState.FAILED
    assert "DivisionByZero" in export.error  # the failure itself, not the stopped worker's
