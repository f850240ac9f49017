import io

from openpyxl import load_workbook

from backend.exports.models import ExportState
from backend.exports.xlsx import Workbook, cell_text
from tests.exports.conftest import content


def _sheets(export) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content(export)), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_xlsx_has_one_sheet_per_repeat_read_back_cell_by_cell(sent, sam, project, run_export):
    export = run_export(sam, project, "form_xlsx", form="survey_x", split_select_multiple=True)

    assert export.state == ExportState.DONE, export.error
    assert export.filename == "survey_x.xlsx"
    sheets = _sheets(export)
    assert list(sheets) == ["survey_x", "members", "jobs"]
    main = sheets["survey_x"]
    assert main[0][:13] == (
        "SubmissionDate", "head", "home-Latitude", "home-Longitude", "home-Altitude",
        "home-Accuracy", "house", "money/income", "money/risks", "money/risks/illness",
        "money/risks/disaster", "money/risks/other", "money/double",
    )  # fmt: skip
    assert main[1][1:13] == ("Wang", 26.5, 106.7, 900, 5, "house.jpg", 1200.5, "illness other",
                             1, 0, 1, "2401")  # fmt: skip
    # Formula-looking text stays text; unanswered cells stay empty.
    assert main[2][1:8] == ("=cmd|calc", None, None, None, None, None, 80)
    assert main[1][13] == "uuid:s1"
    assert sheets["members"] == [
        ("m_name", "m_age", "m_sex", "m_photo", "PARENT_KEY", "KEY"),
        ("Li", 40, "f", "li.jpg", "uuid:s1", "uuid:s1/members[1]"),
        ("Zhao", 12, "m", None, "uuid:s1", "uuid:s1/members[2]"),
    ]
    assert sheets["jobs"][1] == (
        "Farmer",
        26.6,
        106.8,
        0,
        10,
        "uuid:s1/members[1]",
        "uuid:s1/members[1]/jobs[1]",
    )


def test_xlsx_labels_in_english(sent, sam, project, run_export):
    export = run_export(sam, project, "form_xlsx", form="survey_x", labels=True, language="en")

    sheets = _sheets(export)
    assert sheets["survey_x"][0][1] == "Head of household"
    assert sheets["members"][0][:3] == ("Name", "Age", "Sex")
    assert [row[2] for row in sheets["members"][1:]] == ["Female", "Male"]


def test_xlsx_keeps_spaces_and_ignores_a_bad_point(survey, collect, sam, project, run_export):
    from tests.sync.submissions import multipart

    xml = (
        b'<data id="survey_x" version="1"><head> A &amp; B </head><home>not a point</home>'
        b"<meta><instanceID>uuid:odd</instanceID></meta></data>"
    )
    assert collect("post", "submission", data=multipart(xml)).status_code == 201

    export = run_export(sam, project, "form_xlsx", form="survey_x")

    row = _sheets(export)["survey_x"][1]
    assert row[1] == "A & B"
    assert row[2:6] == (None, None, None, None)


def test_cell_text_drops_characters_xml_cannot_carry_and_cuts_at_excels_limit():
    assert cell_text("a\x01<b>") == "a&lt;b&gt;"
    assert len(cell_text("x" * 40_000)) == 32_767


def test_workbook_reads_back_every_kind_of_cell():
    # Plain text takes a short way in Sheet.append; everything else the general one.
    row = ["正常", "a & <b>", " lead", "trail\n", "x\x01y", "", None, 3, 1.5, float("nan"), True]
    output = io.BytesIO()
    workbook = Workbook(output)
    workbook.add_sheet("s", [f"h{n}" for n in range(len(row))]).append(row)
    workbook.close()

    sheet = load_workbook(io.BytesIO(output.getvalue()), read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1] == (
        "正常", "a & <b>", " lead", "trail\n", "xy", None, None, 3, 1.5, "nan", 1
    )  # fmt: skip
