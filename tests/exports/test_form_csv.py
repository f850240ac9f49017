import csv
import io
import zipfile

from backend.exports.models import ExportState
from backend.submissions.models import Submission
from tests.exports.conftest import content


def _tables(export) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(io.BytesIO(content(export))) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


def test_csv_zip_has_one_file_per_repeat_joined_by_keys(sent, sam, project, run_export):
    export = run_export(sam, project, "form_csv", form="survey_x")

    assert export.state == ExportState.DONE, export.error
    assert (export.progress, export.row_count, export.filename) == (100, 2, "survey_x.zip")
    tables = _tables(export)
    assert sorted(tables) == ["jobs.csv", "members.csv", "survey_x.csv"]
    main = tables["survey_x.csv"]
    assert main[0] == [
        "SubmissionDate", "head", "home-Latitude", "home-Longitude", "home-Altitude",
        "home-Accuracy", "house", "money/income", "money/risks", "money/double",
        "KEY", "SubmitterName", "DeviceID", "ReviewState", "FormVersion",
    ]  # fmt: skip
    first, second = main[1], main[2]
    assert first[1:10] == ["Wang", "26.5", "106.7", "900", "5", "house.jpg", "1200.5",
                           "illness other", "2401"]  # fmt: skip
    device = Submission.objects.get(instance_id="uuid:s1").device_id
    assert first[10:] == ["uuid:s1", "bob", device, "received", "1"]
    # Unanswered is empty, and a formula-looking answer is written as text (a leading ').
    assert second[1:10] == ["'=cmd|calc", "", "", "", "", "", "80.0", "", "160"]
    assert tables["members.csv"] == [
        ["m_name", "m_age", "m_sex", "m_photo", "PARENT_KEY", "KEY"],
        ["Li", "40", "f", "li.jpg", "uuid:s1", "uuid:s1/members[1]"],
        ["Zhao", "12", "m", "", "uuid:s1", "uuid:s1/members[2]"],
    ]
    assert tables["jobs.csv"] == [
        ["j_title", "j_where-Latitude", "j_where-Longitude", "j_where-Altitude",
         "j_where-Accuracy", "PARENT_KEY", "KEY"],
        ["Farmer", "26.6", "106.8", "0", "10", "uuid:s1/members[1]",
         "uuid:s1/members[1]/jobs[1]"],
        ["Driver", "", "", "", "", "uuid:s1/members[1]", "uuid:s1/members[1]/jobs[2]"],
    ]  # fmt: skip


def test_csv_starts_with_a_byte_order_mark_for_excel(sent, sam, project, run_export):
    export = run_export(sam, project, "form_csv", form="survey_x")

    with zipfile.ZipFile(io.BytesIO(content(export))) as archive:
        assert archive.read("survey_x.csv").startswith("\ufeffSubmissionDate".encode())


def test_select_multiple_split_into_zero_one_columns(sent, sam, project, run_export):
    export = run_export(sam, project, "form_csv", form="survey_x", split_select_multiple=True)

    main = _tables(export)["survey_x.csv"]
    start = main[0].index("money/risks")
    assert main[0][start : start + 4] == [
        "money/risks", "money/risks/illness", "money/risks/disaster", "money/risks/other",
    ]  # fmt: skip
    assert main[1][start : start + 4] == ["illness other", "1", "0", "1"]
    assert main[2][start : start + 4] == ["", "", "", ""]


def test_labels_in_chinese(sent, sam, project, run_export):
    export = run_export(
        sam, project, "form_csv", form="survey_x", labels=True, language="zh",
        split_select_multiple=True, locale="zh-hans",
    )  # fmt: skip

    tables = _tables(export)
    main = tables["survey_x.csv"]
    assert main[0][1:11] == [
        "户主", "住址位置 (纬度)", "住址位置 (经度)", "住址位置 (海拔)", "住址位置 (精度)",
        "住房照片", "收入", "风险", "风险: 因病", "风险: 因灾",
    ]  # fmt: skip
    assert main[1][8:12] == ["因病, 其他", "1", "0", "1"]
    members = tables["members.csv"]
    assert members[0] == ["姓名", "年龄", "性别", "成员照片", "PARENT_KEY", "KEY"]
    assert [row[2] for row in members[1:]] == ["女", "男"]


def test_labels_in_english_by_language_name(sent, sam, project, run_export):
    export = run_export(
        sam, project, "form_csv", form="survey_x", labels=True, language="English (en)",
        locale="en",
    )  # fmt: skip

    main = _tables(export)["survey_x.csv"]
    assert main[0][1:3] == ["Head of household", "Home location (latitude)"]
    assert main[1][8] == "Illness, Other"
    # A calculate has no label: its name stands in.
    assert main[0][9] == "double"


def test_filters_by_date_and_review_state(sent, sam, project, run_export):
    none = run_export(sam, project, "form_csv", form="survey_x", until="2000-01-01")
    approved = run_export(sam, project, "form_csv", form="survey_x", review_state="approved")

    assert (none.row_count, approved.row_count) == (0, 0)
    assert len(_tables(none)["survey_x.csv"]) == 1  # the header alone
