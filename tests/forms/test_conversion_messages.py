"""What an admin is told when a file cannot be converted: plain words that say where, never the
converter's internals (forms/xlsform.py)."""

from io import BytesIO

import pytest
from openpyxl import Workbook
from pyxform.xls2json_backends import SupportedFileTypes

from forms.errors import FormInvalid, FormVersionConflict
from forms.models import Form
from forms.problems import parse_problem
from forms.services import Upload, form_publish
from forms.xlsform import _named, workbook_type
from tests.forms import mdforms

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# pyxform 4.5 raises KeyError on an external_choices sheet with its label column twice.
CRASHES_PYXFORM = """
| survey |
|        | type                  | name | label |
|        | select_one_external l | a    | A     |
| external_choices |
|         | list_name | name | label | label |
|         | l         | x    | X     | Y     |
"""


def publish(project, alice, name: str, content: bytes):
    return form_publish(project=project, source=Upload(name, content), published_by=alice)


def refusal(project, alice, name: str, content: bytes) -> FormInvalid:
    with pytest.raises(FormInvalid) as caught:
        publish(project, alice, name, content)
    assert not Form.objects.exists()
    return caught.value


def workbook(*sheets: tuple[str, list[list[str]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("suffix", "content", "read_as"),
    [
        (".xlsx", OLE2 + b"rest", SupportedFileTypes.xls),
        (".xlsm", OLE2 + b"rest", SupportedFileTypes.xls),
        (".xls", b"PK\x03\x04rest", SupportedFileTypes.xlsx),
        (".xlsx", b"PK\x03\x04rest", SupportedFileTypes.xlsx),
        (".csv", OLE2, SupportedFileTypes.csv),
    ],
)
def test_a_workbook_is_read_as_what_its_first_bytes_say(suffix, content, read_as):
    assert workbook_type(suffix, content) is read_as


def test_a_damaged_old_workbook_under_a_new_name_says_it_cannot_be_opened(project, alice):
    error = refusal(project, alice, "visit.xlsx", OLE2 + b"\0" * 600)

    message = str(error)
    assert "visit.xlsx" in message
    assert "could not be opened as a .xls file" in message
    assert "definition" not in message


def test_a_file_that_is_no_workbook_at_all_says_it_cannot_be_opened(project, alice):
    error = refusal(project, alice, "visit.xlsx", b"not a workbook, just text")

    assert "could not be opened as a .xlsx file" in str(error)
    assert "Argument" not in str(error)


def test_a_converter_crash_is_told_in_plain_words(project, alice, caplog):
    error = refusal(project, alice, "ext.md", CRASHES_PYXFORM.encode())

    message = str(error)
    assert "ext.md" in message
    assert "could not be converted" in message
    assert "KeyError" not in message
    assert all("KeyError" not in detail for detail in error.details)
    assert "KeyError" in caplog.text  # kept for whoever looks into the converter


def test_a_duplicate_column_names_its_sheet_and_columns(project, alice):
    content = workbook(
        ("survey", [["type", "name", "label", "hint", "label"], ["text", "a", "A", "", "B"]]),
        ("settings", [["form_id"], ["dup"]]),
    )

    error = refusal(project, alice, "dup.xlsx", content)

    problem = parse_problem(error.details[0])
    assert (problem.sheet, problem.row) == ("survey", 1)
    assert "label" in problem.message
    assert "C, E" in problem.message


def test_a_duplicate_column_on_the_choices_sheet_is_named_there(project, alice):
    content = workbook(
        ("survey", [["type", "name", "label"], ["select_one l", "a", "A"]]),
        ("choices", [["list_name", "name", "label", "name"], ["l", "x", "X", "y"]]),
    )

    error = refusal(project, alice, "dup.xlsx", content)

    assert parse_problem(error.details[0]).sheet == "choices"


XFORM = (
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
    "<h:head><h:title>T</h:title><model><instance>"
    '<data id="x" version="1"><q>{q}</q></data>'
    "</instance></model></h:head><h:body/></h:html>"
)


def test_a_version_conflict_of_an_xform_speaks_of_its_version_attribute(project, alice):
    publish(project, alice, "x.xml", XFORM.format(q="a").encode())

    with pytest.raises(FormVersionConflict) as caught:
        publish(project, alice, "x.xml", XFORM.format(q="b").encode())

    message = str(caught.value)
    assert "version attribute" in message
    assert "settings sheet" not in message


def test_a_version_conflict_of_an_xlsform_speaks_of_its_settings_sheet(project, alice):
    publish(project, alice, "f.md", mdforms.SIMPLE.encode())

    with pytest.raises(FormVersionConflict) as caught:
        publish(project, alice, "f.md", mdforms.SIMPLE_V1_CHANGED.encode())

    assert "settings sheet" in str(caught.value)


def test_odk_validate_messages_name_the_uploaded_file():
    raw = (
        "ODK Validate Errors:\n>> XForm is invalid.\n: Encountered a problem, Bad node: "
        "org.javarosa.xpath.parser.ast.ASTNodeAbstractExpr@6e1567f1\n\n"
        "The following files failed validation:\n${form}.xml\n"
    )

    named = _named(raw, "visit.xlsx")

    assert "visit.xlsx" in named
    assert "${form}" not in named
    assert "@6e1567f1" not in named
