import csv
import io

import pytest
from django.db import connection

from backend.households import lists
from backend.households.columns import property_keys_remember
from backend.households.lists import (
    household_list_csv,
    household_list_rows,
    household_list_token,
    households_for_phone,
)
from backend.households.models import Household


def test_an_empty_scope_has_a_token_and_a_header_only_list(project, mallory):
    households = households_for_phone(project=project, actor=mallory)

    assert len(household_list_token(households)) == 32
    assert household_list_csv(project, households) == b"name,label,__version,village,review_note\n"


def test_token_is_stable_and_moves_when_a_household_is_saved(project, households, bob):
    mine = households_for_phone(project=project, actor=bob)
    before = household_list_token(mine)
    assert household_list_token(households_for_phone(project=project, actor=bob)) == before

    household = Household.objects.get(code="A-1")
    household.review_note = "请补充收入材料"
    household.save()

    assert household_list_token(households_for_phone(project=project, actor=bob)) != before


def test_people_with_different_scopes_get_different_tokens(project, households, bob, alice):
    assert household_list_token(households_for_phone(project=project, actor=bob)) != (
        household_list_token(households_for_phone(project=project, actor=alice))
    )


TRICKY = {
    "note": 'He said "ok", then left\nline two',
    "comma": "a,b",
    "empty": "",
    "name_like": "张三·李",
    "double__under": "kept whole",
    "spaces": "  padded  ",
}


def _tricky_households(project, village):
    Household.objects.create(
        project=project, code="T-2", label="", village=village, head_name="x", properties={}
    )
    property_keys_remember(project.pk, TRICKY)
    return Household.objects.create(
        project=project,
        code="T-1",
        label='Label, with "quotes"',
        village=village,
        head_name="x",
        review_note="请核实\r\n收入",
        properties=TRICKY,
    )


def test_the_list_reads_back_as_the_households_it_holds(project, village, alice):
    household = _tricky_households(project, village)

    lines = household_list_csv(project, households_for_phone(project=project, actor=alice)).decode()
    rows = list(csv.DictReader(io.StringIO(lines)))

    assert [row["name"] for row in rows] == [str(household.uuid), rows[1]["name"]]
    assert rows[0]["label"] == 'Label, with "quotes"'
    assert rows[0]["review_note"] == "请核实\r\n收入"
    assert {key: rows[0][key] for key in TRICKY} == TRICKY
    assert {key: rows[1][key] for key in TRICKY} == dict.fromkeys(TRICKY, "")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_database_writes_the_same_bytes_as_python(project, village, alice):
    _tricky_households(project, village)
    households = households_for_phone(project=project, actor=alice)
    rows = lists._row_values(households, lists._property_columns(project))

    assert b"".join(lists._copy_csv(rows)) == b"".join(lists._python_csv(rows))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_phone_hanging_up_mid_list_leaves_the_connection_usable(project, village, alice):
    Household.objects.bulk_create(
        Household(
            project=project,
            code=f"C{i}",
            label="张" * 100,
            village=village,
            head_name="x",
            properties={"note": "y" * 300},
        )
        for i in range(3000)
    )
    property_keys_remember(project.pk, ["note"])
    households = households_for_phone(project=project, actor=alice)
    rows = household_list_rows(project, households)
    next(rows), next(rows)  # the header and the first block

    rows.close()

    assert households.count() == 3000
