"""What forms/xform_labels.py reads besides labels: the list columns calculates copy."""

from forms.xform_labels import read_labels

FORM = """
| survey |
|        | type                                | name     | label     | calculation |
|        | select_one_from_file households.csv | hh       | Household |             |
|        | calculate | prev_income | | instance('households')/root/item[name=${hh}]/income_pc |
|        | calculate | doubled     | | ${prev_income} * 2 |
| settings |
|          | form_id | version |
|          | copies  | 1       |
"""


def test_a_calculate_that_copies_a_list_column_is_known(xform_of):
    labels = read_labels(xform_of(FORM).encode())
    assert labels.copies == {"/data/prev_income": ("households", "income_pc")}
    assert labels.question("/data/hh", labels.default_language) == "Household"
