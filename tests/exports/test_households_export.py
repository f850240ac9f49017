import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from backend.areas.models import Area, Level
from backend.exports.models import ExportState
from backend.households.models import Household, HouseholdVersion
from tests.exports.conftest import content


@pytest.fixture
def registry(households, village, bob):
    """Three households of the village, one in another village; one has two versions."""
    first = households[0]
    first.latitude, first.longitude, first.accuracy = 26.5, 106.7, 4.0
    first.income_per_capita, first.category = Decimal("4200.50"), "monitor_marginal"
    first.save()
    HouseholdVersion.objects.create(
        household=first,
        version=1,
        label=first.label,
        data={"hh_code": "A-1", "hh_size": "4"},
        actor=bob,
    )
    HouseholdVersion.objects.create(
        household=first,
        version=2,
        label=first.label,
        data={"hh_code": "A-1", "hh_size": "5"},
        base_version=1,
    )
    other = Area.objects.create(
        code="demo-v02", name="西河村", level=Level.VILLAGE, parent=village.parent
    )
    Household.objects.create(
        project=first.project,
        code="C-1",
        label="C-1 王*",
        village=other,
        head_name="王五",
        properties={"hh_code": "C-1", "dibao": "yes"},
    )
    return first  # fmt: skip


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_registry_csv_has_import_columns_and_every_property(registry, sam, project, run_export):
    export = run_export(sam, project, "households_csv")

    assert export.state == ExportState.DONE, export.error
    rows = _csv(content(export))
    assert rows[0][:6] == ["id", "code", "label", "village", "village_name", "head_name"]
    assert rows[0][19:] == ["dibao", "hh_code", "hh_size"]
    assert [r[1] for r in rows[1:]] == ["A-1", "A-2", "B-1", "C-1"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["id"] == str(registry.uuid)
    assert (first["village"], first["village_name"]) == ("demo-v01", "东坡村")
    assert (first["latitude"], first["longitude"], first["income_per_capita"]) == (
        "26.5", "106.7", "4200.50")  # fmt: skip
    assert (first["category"], first["helper"], first["hh_size"]) == (
        "monitor_marginal",
        "bob",
        "4",
    )
    assert export.row_count == 4


def test_registry_xlsx_by_village_with_translated_headers(registry, sam, project, run_export):
    export = run_export(sam, project, "households_xlsx", village="demo-v01", labels=True,
                        locale="zh-hans")  # fmt: skip

    sheet = load_workbook(io.BytesIO(content(export))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("户ID", "户编码")
    assert [r[1] for r in rows[1:]] == ["A-1", "A-2", "B-1"]
    assert rows[1][8] == 4200.5


def test_labelled_registry_names_properties_and_codes_for_people(
    registry, sam, project, run_export
):
    export = run_export(sam, project, "households_csv", labels=True, locale="zh-hans")

    header, *rows = _csv(content(export))
    assert header[19:] == ["低保户", "户编码（表单记录）", "家庭人口（表单记录）"]
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_code["A-1"]["类别"] == "监测对象：边缘易致贫户"
    assert by_code["C-1"]["低保户"] == "是"
    assert by_code["A-1"]["人均纯收入（元）"] == "4200.50"  # numbers stay numbers


def test_labelled_history_names_the_changed_properties(registry, sam, project, run_export):
    export = run_export(sam, project, "household_history_csv", labels=True, locale="en")

    header, *rows = _csv(content(export))
    assert [row[header.index("changed properties")] for row in rows] == [
        "household code, members",
        "members",
    ]


def test_history_lists_each_version_with_what_it_changed(registry, sam, project, run_export):
    export = run_export(sam, project, "household_history_csv")

    rows = _csv(content(export))
    assert rows[0][:11] == ["id", "code", "version", "created_at", "label", "base_version",
                            "conflict", "conflicting_properties", "submission", "actor",
                            "changed"]  # fmt: skip
    assert rows[0][11:] == ["hh_code", "hh_size"]
    assert [(r[1], r[2], r[9], r[10], r[12]) for r in rows[1:]] == [
        ("A-1", "1", "bob", "hh_code, hh_size", "4"),
        ("A-1", "2", "", "hh_size", "5"),
    ]


def test_households_geojson_is_a_feature_collection(registry, sam, project, run_export):
    export = run_export(sam, project, "households_geojson")

    collection = json.loads(content(export))
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]  # only A-1 has a location
    assert feature["geometry"] == {"type": "Point", "coordinates": [106.7, 26.5]}
    assert feature["id"] == str(registry.uuid)
    assert feature["properties"]["code"] == "A-1"
    assert feature["properties"]["income_per_capita"] == 4200.5
    assert export.row_count == 1


def test_a_supervisor_of_one_village_exports_only_its_households(
    registry, sam, project, run_export
):
    membership = sam.memberships.get(project=project)
    membership.areas.set(Area.objects.filter(code="demo-v02"))

    export = run_export(sam, project, "households_csv")

    assert [r[1] for r in _csv(content(export))[1:]] == ["C-1"]


def test_submission_points_geojson_has_every_geopoint_answer(sent, sam, project, run_export):
    export = run_export(sam, project, "submissions_geojson", form="survey_x")

    collection = json.loads(content(export))
    points = [(f["properties"]["KEY"], f["properties"]["question"], f["properties"]["row_key"],
               f["geometry"]["coordinates"]) for f in collection["features"]]  # fmt: skip
    assert points == [
        ("uuid:s1", "home", "uuid:s1", [106.7, 26.5, 900.0]),
        ("uuid:s1", "j_where", "uuid:s1/members[1]/jobs[1]", [106.8, 26.6, 0.0]),
    ]
    assert collection["features"][0]["properties"]["accuracy"] == 5.0


def test_photo_archive_streams_files_with_an_index(sent, sam, project, run_export):
    export = run_export(sam, project, "photos_zip", form="survey_x", since="2000-01-01")

    assert export.state == ExportState.DONE, export.error
    with zipfile.ZipFile(io.BytesIO(content(export))) as archive:
        names = archive.namelist()
        index = _csv(archive.read("index.csv"))
        assert archive.read("survey_x/uuid_s1/li.jpg")[:2] == b"\xff\xd8"
    assert sorted(names) == ["index.csv", "survey_x/uuid_s1/house.jpg", "survey_x/uuid_s1/li.jpg"]
    assert index[0][:4] == ["file", "form", "KEY", "question"]
    by_file = {row[0]: row for row in index[1:]}
    assert by_file["survey_x/uuid_s1/li.jpg"][3] == "members[1]/m_photo"
    assert by_file["survey_x/uuid_s1/house.jpg"][3] == "house"
    assert by_file["survey_x/uuid_s1/house.jpg"][5] == "bob"
