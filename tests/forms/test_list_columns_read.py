"""Which columns of households.csv a form reads (forms/xform.py::list_columns_read)."""

from forms.xform import list_columns_read

READER = """
| survey |
|        | type                                | name  | label | choice_filter | calculation | parameters |
|        | select_one village                  | v     | V     |               |             |            |
|        | select_one_from_file households.csv | hh    | HH    | village=${v} and status != 'gone' |  | value=name, label=hh_code |
|        | calculate                           | size  |       |               | instance('households')/root/item[name=${hh}]/hh_size | |
|        | calculate                           | phone |       |               | pulldata('households', 'head_phone', 'name', ${hh}) | |
|        | calculate                           | other |       |               | instance('villages')/root/item[name=${v}]/secret | |
|        | text                                | note  | Note  |               |             |            |
| choices |
|         | list_name | name | label |
|         | village   | a    | A     |
| settings |
|          | form_id | version |
|          | reader  | 1       |
"""  # noqa: E501  a markdown table


def test_a_form_reads_lookups_filters_select_columns_and_pulldata(xform_of):
    xform = xform_of(READER).encode()

    assert list_columns_read(xform, "households") == {
        "village",
        "status",
        "name",
        "hh_code",
        "hh_size",
        "head_phone",
    }


def test_a_form_that_does_not_read_the_list_reads_nothing(xform_of):
    md = READER.replace("households", "elsewhere")

    assert list_columns_read(xform_of(md).encode(), "households") == set()
