"""The library forms ship as Excel workbooks generated from their Markdown source."""

from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from forms.library import library_paths, workbooks
from forms.services import Upload, form_publish
from forms.xlsform import convert_xlsform


@pytest.mark.parametrize("source", library_paths(), ids=lambda p: p.stem)
def test_a_generated_workbook_converts_to_the_same_xform_as_its_markdown(source):
    generated = workbooks.library_workbook(source)

    from_workbook = convert_xlsform(generated, filename=f"{source.stem}.xlsx")
    assert from_workbook.xform == convert(xlsform=source).xform
    assert from_workbook.warnings == []


def test_the_shipped_workbooks_are_current():
    assert workbooks.stale_workbooks() == []


def test_a_workbook_has_the_forms_sheets_with_a_bold_frozen_header():
    source = library_paths()[1]
    book = load_workbook(BytesIO(workbooks.library_workbook(source)))
    survey = book["survey"]

    assert book.sheetnames == ["survey", "choices", "entities", "settings"]
    header = [cell.value for cell in survey[1]]
    assert header[:4] == ["type", "name", "label::English (en)", "label::中文 (zh)"]
    assert survey.freeze_panes == "A2"
    assert survey["A1"].font.bold
    assert 8 <= survey.column_dimensions["C"].width <= 50


def test_publishing_the_workbook_is_publishing_the_same_version(project, alice):
    source = library_paths()[1]
    markdown = form_publish(
        project=project, source=Upload(source.name, source.read_bytes()), published_by=alice
    )
    path = workbooks.workbook_path(source)
    workbook = form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=alice
    )

    assert not workbook.created  # the identical XForm: nothing new for the phones
    assert workbook.version == markdown.version


def test_the_check_names_a_missing_or_stale_workbook(tmp_path, monkeypatch):
    source = tmp_path / "hh_visit.md"
    source.write_bytes(library_paths()[1].read_bytes())
    monkeypatch.setattr(workbooks, "library_paths", lambda: [source])

    with pytest.raises(CommandError, match=r"hh_visit\.xlsx"):
        call_command("library_workbooks", "--check")
    call_command("library_workbooks")
    written = (tmp_path / "hh_visit.xlsx").read_bytes()
    call_command("library_workbooks", "--check")
    call_command("library_workbooks")  # current: left as it is

    assert (tmp_path / "hh_visit.xlsx").read_bytes() == written
