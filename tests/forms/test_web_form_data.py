"""What the web forms read from an XForm and its CSV files (pure): the questions that choose an
item of a list, the secondary instances and their files, a CSV as the XML Enketo reads."""

from xml.etree import ElementTree

from pyxform.xls2xform import convert

from forms.external_data import csv_as_instance
from forms.xform import external_instances, list_questions
from tests.forms.mdforms import VISIT

TWO_LISTS = """
| survey |
|        | type                                | name    | label   | choice_filter      |
|        | select_one_from_file villages.csv   | village | Village |                    |
|        | select_one_from_file households.csv | hh      | HH      | village=${village} |
|        | text                                | note    | Note    |                    |
| settings |
|          | form_id |
|          | two     |
"""


def _xform(md: str) -> bytes:
    return convert(xlsform=md, file_type=".md").xform.encode()


def test_the_questions_that_choose_from_a_list_are_found_by_the_list_they_read():
    xml = _xform(TWO_LISTS)
    assert list_questions(xml, "households") == ["/data/hh"]
    assert list_questions(xml, "villages") == ["/data/village"]
    assert list_questions(xml, "nothing") == []


def test_the_secondary_instances_name_their_files():
    assert external_instances(_xform(TWO_LISTS)) == {
        "villages": "villages.csv",
        "households": "households.csv",
    }
    assert external_instances(_xform(VISIT)) == {"households": "households.csv"}


def test_a_csv_file_becomes_the_items_a_form_reads():
    content = '\ufeffname,label,village,bad column\nu1,王 一,v1,x\nu2,"A, B"\n'.encode()
    root = ElementTree.fromstring(csv_as_instance(content))
    items = [{child.tag: child.text or "" for child in item} for item in root.iter("item")]
    assert items == [
        {"name": "u1", "label": "王 一", "village": "v1"},
        {"name": "u2", "label": "A, B", "village": ""},
    ]


def test_an_empty_csv_file_is_an_empty_list():
    assert csv_as_instance(b"") == "<root />"
