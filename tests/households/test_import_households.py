import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from backend.households.models import Household

HEADER = (
    "code,head_name,village,category,hh_size,income_pc,income_year,house_grade,"
    "latitude,longitude,helper,dibao\n"
)


def write(tmp_path, rows: str, name="registry.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_imports_csv_rows_with_typed_columns_and_history(tmp_path, project, village, bob, capsys):
    path = write(
        tmp_path,
        "DP-001,张建国,demo-v01,exited,4,6820,2025,B,26.503,106.704,bob,no\n"
        "DP-002,刘秀英,demo-v01,monitor_unstable,3,5120,2025,C,,,,yes\n",
    )

    call_command("import_households", str(path), project="demo")

    first = Household.objects.get(code="DP-001")
    assert (first.label, first.member_count, first.house_grade, first.helper) == (
        "DP-001 张*国",
        4,
        "B",
        bob,
    )
    assert (first.latitude, first.longitude) == (26.503, 106.704)
    assert first.properties["dibao"] == "no"
    assert first.versions.get().version == 1
    assert Household.objects.get(code="DP-002").category == "monitor_unstable"
    assert "households imported: 2" in capsys.readouterr().out


def test_imports_xlsx(tmp_path, project, village):
    book = Workbook()
    book.active.append(["code", "head_name", "village", "hh_size"])
    book.active.append(["XH-1", "杨桂兰", "demo-v01", 2])
    path = tmp_path / "registry.xlsx"
    book.save(path)

    call_command("import_households", str(path), project="demo")

    assert Household.objects.get(code="XH-1").member_count == 2


def test_workbook_coordinates_are_written_without_float_noise(tmp_path, project, village):
    book = Workbook()
    book.active.append(["code", "head_name", "village", "latitude", "longitude"])
    book.active.append(["XH-1", "杨桂兰", "demo-v01", 26.5 + 0.003, 106.7 + 0.004])
    path = tmp_path / "registry.xlsx"
    book.save(path)

    call_command("import_households", str(path), project="demo")

    assert Household.objects.get(code="XH-1").properties["geometry"] == "26.503 106.704 0 0"


def test_bad_rows_are_reported_by_number_and_nothing_is_imported(
    tmp_path, project, village, capsys
):
    path = write(
        tmp_path,
        "OK-1,好户,demo-v01,,,,,,,,,\n"
        "BAD-1,,nowhere,rich,four,,,E,,,ghost,\n"
        "OK-1,重复,demo-v01,,,,,,,,,\n",
    )

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_households", str(path), project="demo")

    err = capsys.readouterr().err
    assert (
        "Row 3: head_name is empty; unknown village nowhere; helper ghost is not in this project"
        in err
    )
    assert "unknown category rich" in err
    assert "hh_size must be a whole number" in err
    assert "Row 4: the code is already registered" in err
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.txt", b"x", "Import a .csv or .xlsx file"),
        ("r.csv", b"code,village\nA,demo-v01\n", "Missing columns: head_name"),
        ("r.csv", "code,head_name,village\n".encode("gbk") + "甲,乙,丙".encode("gbk"), "UTF-8"),
        ("r.xlsx", b"not a zip", "not a readable XLSX"),
    ],
)
def test_unusable_files_are_refused(tmp_path, project, village, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_households", str(path), project="demo")


def test_an_imported_household_in_danger_is_flagged_before_anyone_visits(
    tmp_path, project, village
):
    path = write(tmp_path, "DP-009,王大山,demo-v01,ordinary,2,2500,2026,D,,,,no\n")

    call_command("import_households", str(path), project="demo")

    household = Household.objects.get(code="DP-009")
    codes = set(household.flags.filter(state="open").values_list("code", flat=True))
    assert {"income_below_line", "house_unsafe", "not_monitored"} <= codes
