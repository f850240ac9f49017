"""No CSV the server writes for people starts a cell with a formula (CSV injection): answers,
labels, file names and household properties that start with = + - @ (or a tab or carriage
return) get a leading apostrophe, in the Python writer and in PostgreSQL's COPY alike, while
numbers such as -3.5 stay numbers. XLSX cells hold such text as text."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import load_workbook

from backend.exports import form_export
from backend.exports.formulas import csv_row
from backend.exports.models import ExportState
from backend.households.models import Household, HouseholdVersion
from backend.households.statistics import statistics_xlsx
from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.exports.conftest import content
from tests.sync.submissions import jpeg, multipart

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]
NEUTRAL = ["'" + payload for payload in PAYLOADS]

FORM = """
| survey |
|        | type         | name    | label   |
|        | text         | head    | Head    |
|        | decimal      | income  | Income  |
|        | geopoint     | home    | Home    |
|        | begin_repeat | members | Member  |
|        | text         | m_name  | Name    |
|        | end_repeat   | members |         |
| settings |
|          | form_id | version |
|          | inject  | 1       |
"""

COPY = pytest.param(
    True,
    id="copy",
    marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
    ],
)


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _zipped(data: bytes, name: str) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _csv(archive.read(name))


@pytest.fixture
def injected(project, alice, bob):
    version = form_publish(
        project=project, source=Upload("inject.md", FORM.encode()), published_by=alice
    ).version
    for number, payload in enumerate(PAYLOADS):
        Submission.objects.create(
            project=project,
            form=version.form,
            form_version=version,
            instance_id=f"uuid:i{number}",
            device_id="=HYPERLINK(1)" if number == 0 else "",
            submitted_by=bob,
            xml="<data/>",
            xml_sha256=str(number),
            fields={
                "head": payload,
                "income": "-3.5",
                "home": "-26.5 -106.7 -12 5",
                "members": [{"m_name": payload}],
            },
        )
    return version


def test_csv_row_prefixes_formulas_and_keeps_numbers():
    assert csv_row([*PAYLOADS, "-3.5", "+86", "-", "=", "a=b", "", None, -3.5, Decimal("-2")]) == [
        *NEUTRAL,
        *["-3.5", "+86", "'-", "'=", "a=b", "", None, -3.5, Decimal("-2")],
    ]


@pytest.mark.parametrize("by_copy", [COPY, pytest.param(False, id="python")])
@pytest.mark.parametrize("labels", [False, True])
def test_form_csv_neutralises_answers(
    by_copy, labels, injected, alice, project, run_export, monkeypatch
):
    monkeypatch.setattr(form_export, "COPY_CSV", by_copy)
    export = run_export(alice, project, "form_csv", form="inject", labels=labels)

    assert export.state == ExportState.DONE, export.error
    data = content(export)
    main, members = _zipped(data, "inject.csv"), _zipped(data, "members.csv")
    assert [row[1] for row in main[1:]] == NEUTRAL
    assert [row[0] for row in members[1:]] == NEUTRAL
    # The decimal answer and the geopoint's parts stay numbers.
    assert {tuple(row[2:7]) for row in main[1:]} == {("-3.5", "-26.5", "-106.7", "-12", "5")}
    assert main[1][-3] == "'=HYPERLINK(1)"  # DeviceID, as the phone sent it


@pytest.fixture
def injected_household(households):
    household = households[0]
    household.label = PAYLOADS[0]
    household.head_name = PAYLOADS[3]
    household.income_per_capita = Decimal("-3.5")
    household.properties = {**household.properties, "note": PAYLOADS[1], "debt": "-1200"}
    household.save()
    HouseholdVersion.objects.create(
        household=household, version=1, label=PAYLOADS[2], data=household.properties
    )
    return household


def _row_of(rows: list[list[str]], household: Household) -> dict[str, str]:
    return next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if household.code in row)


def test_household_csv_neutralises_labels_and_properties(
    injected_household, sam, project, run_export
):
    export = run_export(sam, project, "households_csv")

    assert export.state == ExportState.DONE, export.error
    row = _row_of(_csv(content(export)), injected_household)
    assert row["label"] == NEUTRAL[0]
    assert row["head_name"] == NEUTRAL[3]
    assert row["note"] == NEUTRAL[1]
    assert row["income_per_capita"] == "-3.50"
    assert row["debt"] == "-1200"


def test_household_history_csv_neutralises_labels(injected_household, sam, project, run_export):
    export = run_export(sam, project, "household_history_csv")

    assert export.state == ExportState.DONE, export.error
    row = _row_of(_csv(content(export)), injected_household)
    assert row["label"] == NEUTRAL[2]
    assert row["note"] == NEUTRAL[1]


def test_photo_index_neutralises_file_names(survey, collect, sam, project, run_export):
    name = "=1+2.jpg"
    xml = (
        f'<data id="survey_x" version="1"><head>x</head><house>{name}</house>'
        "<meta><instanceID>uuid:photo</instanceID></meta></data>"
    ).encode()
    assert collect("post", "submission", data=multipart(xml, (name, jpeg()))).status_code == 201
    export = run_export(sam, project, "photos_zip", form="survey_x")

    assert export.state == ExportState.DONE, export.error
    index = _zipped(content(export), "index.csv")
    row = dict(zip(index[0], index[1], strict=True))
    assert row["original_name"] == "'=1+2.jpg"


def test_xlsx_keeps_formula_text_as_text(injected, injected_household, alice, project, run_export):
    export = run_export(alice, project, "form_xlsx", form="inject")
    sheet = load_workbook(io.BytesIO(content(export)))["inject"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    # XML keeps no carriage return: the last payload comes back with a line feed.
    assert [cell.value for cell in cells][:5] == PAYLOADS[:5]
    assert {cell.data_type for cell in cells} == {"s"}

    export = run_export(alice, project, "households_xlsx")
    sheet = load_workbook(io.BytesIO(content(export))).active
    labels = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert PAYLOADS[0] in [cell.value for cell in labels]
    assert {cell.data_type for cell in labels} == {"s"}


def test_statistics_xlsx_writes_village_names_as_text():
    row = {"village": "+SUM(1,2)", "village_name": PAYLOADS[0], "households": 3}
    sheet = load_workbook(io.BytesIO(statistics_xlsx([row], lines=[]))).active
    code, name, count = next(sheet.iter_rows(min_row=2, max_col=3))
    assert (code.value, code.data_type) == ("+SUM(1,2)", "s")
    assert (name.value, name.data_type) == (PAYLOADS[0], "s")
    assert (count.value, count.data_type) == (3, "n")
