import csv
import io

import pytest
from django.db import connection

from backend.areas.models import Area
from backend.audit.privacy import Personal, mask
from backend.households.lines import (
    MASKED,
    fresh,
    household_line_write,
    household_lines_refresh,
    list_layout,
)
from backend.households.lists import (
    household_list_rows,
    household_list_token,
    households_for_phone,
)
from backend.households.models import Household
from backend.households.services import household_register
from forms.models import Form, FormState
from forms.services import Upload, form_publish


def reads(project, *keys, form_id="reader"):
    """Publish a form that reads these properties of households.csv: the list's columns."""
    lookups = "".join(
        f"|  | calculate | c{n} | | instance('households')/root/item[name=${{hh}}]/{key} |\n"
        for n, key in enumerate(keys)
    )
    md = (
        "| survey |\n|  | type | name | label | calculation |\n"
        "|  | select_one_from_file households.csv | hh | Household | |\n"
        f"{lookups}| settings |\n|  | form_id | version |\n|  | {form_id} | 1 |\n"
    )
    form_publish(project=project, source=Upload(f"{form_id}.md", md.encode()), published_by=None)


def streamed_list(project, households):
    """The list as a phone receives it: every block the media view streams, joined."""
    return b"".join(household_list_rows(project, households))


def test_an_empty_scope_has_a_token_and_a_header_only_list(project, mallory):
    households = households_for_phone(project=project, actor=mallory)

    assert len(household_list_token(project, households)) == 32
    assert (
        streamed_list(project, households)
        == b"name,label,__version,village,review_note,case_note,campaign\n"
    )


def test_token_is_stable_and_moves_when_a_household_is_saved(project, households, bob):
    mine = households_for_phone(project=project, actor=bob)
    before = household_list_token(project, mine)
    assert household_list_token(project, households_for_phone(project=project, actor=bob)) == before

    household = Household.objects.get(code="A-1")
    household.review_note = "请补充收入材料"
    household.save()

    assert household_list_token(project, households_for_phone(project=project, actor=bob)) != before


def test_people_with_different_scopes_get_different_tokens(project, households, bob, alice):
    assert household_list_token(project, households_for_phone(project=project, actor=bob)) != (
        household_list_token(project, households_for_phone(project=project, actor=alice))
    )


TRICKY = {
    "note": 'He said "ok", then left\nline two',
    "comma": "a,b",
    "empty": "",
    "name_like": "张三·李",
    "double__under": "kept whole",
    "spaces": "  padded  ",
    "carriage": "one\rtwo",
    "tab_and_backslash": "a\tb\\.",
    "end_marker": "\\.",
}


def _tricky_households(project, village):
    reads(project, *TRICKY)
    Household.objects.create(
        project=project, code="T-2", label="", village=village, head_name="x", properties={}
    )
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

    lines = streamed_list(project, households_for_phone(project=project, actor=alice)).decode()
    rows = list(csv.DictReader(io.StringIO(lines)))

    assert [row["name"] for row in rows] == [str(household.uuid), rows[1]["name"]]
    assert rows[0]["label"] == 'Label, with "quotes"'
    assert rows[0]["review_note"] == "请核实\r\n收入"
    assert {key: rows[0][key] for key in TRICKY} == TRICKY
    assert {key: rows[1][key] for key in TRICKY} == dict.fromkeys(TRICKY, "")


def _reference_csv(project, households):
    """The list as csv.writer writes it from the model rows: the bytes the database must send."""
    columns = list_layout(project.pk).columns

    def value(household, key, how):
        text = household.properties.get(key) or ""
        return mask(Personal.ID_NUMBER, text) if how == MASKED else text

    lines = [
        b"name,label,__version,village,review_note,case_note,campaign"
        + "".join(f",{k}" for k, _how in columns).encode()
        + b"\n"
    ]
    for household in households.select_related("village").order_by("code"):
        buffer = io.StringIO()
        # A carriage return in the line terminator makes csv quote a lone one too, as COPY does.
        csv.writer(buffer, lineterminator="\r\n").writerow(
            [
                household.uuid,
                household.label,
                household.version,
                household.village.code,
                household.review_note,
                household.case_note,
                household.campaign,
                *(value(household, key, how) for key, how in columns),
            ]
        )
        lines.append(buffer.getvalue().removesuffix("\r\n").encode() + b"\n")
    return b"".join(lines)


def _fresh_codes(project):
    layout = list_layout(project.pk)
    return set(Household.objects.filter(fresh(layout)).values_list("code", flat=True))


def _register(project, village, code, **properties):
    return household_register(
        project=project, code=code, label=f"{code} 张*", village=village, properties=properties
    )


def test_stored_lines_are_the_bytes_csv_writes(project, village, alice):
    _tricky_households(project, village)  # written without their lines: rendered on the fly
    written = _register(project, village, "T-3", **TRICKY)
    written.review_note = 'note "quoted", \r\n'
    written.save()
    household_line_write(written)
    households = households_for_phone(project=project, actor=alice)

    assert _fresh_codes(project) == {"T-3"}
    assert streamed_list(project, households) == _reference_csv(project, households)
    assert household_lines_refresh(project.pk) == 2
    assert _fresh_codes(project) == {"T-1", "T-2", "T-3"}
    assert streamed_list(project, households) == _reference_csv(project, households)


def test_a_form_reading_another_property_makes_lines_stale_and_the_list_stays_right(
    project, village, alice
):
    reads(project, "hh_size")
    _register(project, village, "R-1", hh_size="4", water_status="ok")
    households = households_for_phone(project=project, actor=alice)
    token = household_list_token(project, households)
    assert _fresh_codes(project) == {"R-1"}

    reads(project, "water_status", form_id="water")

    assert _fresh_codes(project) == set()
    assert household_list_token(project, households) != token
    body = streamed_list(project, households)
    assert body == _reference_csv(project, households)
    assert (
        body.splitlines()[0]
        == b"name,label,__version,village,review_note,case_note,campaign,hh_size,water_status"
    )
    household_lines_refresh(project.pk)
    assert _fresh_codes(project) == {"R-1"}
    assert streamed_list(project, households) == body


def test_a_new_layout_renders_the_lines_again_after_commit(
    project, village, django_capture_on_commit_callbacks
):
    _register(project, village, "R-1", hh_size="4")

    with django_capture_on_commit_callbacks(execute=True):
        reads(project, "hh_size")
        list_layout(project.pk)  # the first request that needs the layout makes it

    assert _fresh_codes(project) == {"R-1"}


def test_a_layout_that_comes_back_finds_its_lines_fresh(project, village):
    reads(project, "hh_size")
    _register(project, village, "R-1", hh_size="4")
    first = list_layout(project.pk)

    Form.objects.filter(xml_form_id="reader").update(state=FormState.CLOSED)
    reads(project, "water_status", form_id="water")  # publishing tells the caches
    assert list_layout(project.pk) != first
    Form.objects.filter(xml_form_id="water").update(state=FormState.CLOSED)
    Form.objects.filter(xml_form_id="reader").update(state=FormState.OPEN)
    reads(project, "hh_size")  # the same version again: a no-op that tells the caches

    assert list_layout(project.pk) == first
    assert _fresh_codes(project) == {"R-1"}


def test_phones_get_only_the_properties_forms_read_with_id_numbers_masked(project, village, alice):
    reads(project, "hh_code", "head_idno", "head_phone")
    _register(
        project,
        village,
        "P-1",
        hh_code="P-1",
        head_idno="52010219800101123X",
        head_phone="13912345678",
        has_serious_illness="yes",
        has_disabled="yes",
        income_pc="3000",
    )
    households = households_for_phone(project=project, actor=alice)

    body = streamed_list(project, households)
    rows = list(csv.DictReader(io.StringIO(body.decode())))

    assert list(rows[0]) == [
        "name",
        "label",
        "__version",
        "village",
        "review_note",
        "case_note",
        "campaign",
        "head_idno",
        "head_phone",
        "hh_code",
    ]
    assert (rows[0]["head_idno"], rows[0]["head_phone"]) == ("**************123X", "13912345678")
    assert b"52010219800101123X" not in body
    assert body == _reference_csv(project, households)
    household_lines_refresh(project.pk)
    assert _fresh_codes(project) == {"P-1"}
    assert streamed_list(project, households) == body


def test_a_save_that_skips_the_line_is_served_as_saved(project, village, alice):
    household = _register(project, village, "S-1", hh_size="4")
    households = households_for_phone(project=project, actor=alice)
    token = household_list_token(project, households)

    household.label = "S-1 new label"
    household.save()

    assert _fresh_codes(project) == set()
    assert b"S-1 new label" in streamed_list(project, households)
    assert streamed_list(project, households) == _reference_csv(project, households)
    assert household_list_token(project, households) != token


def test_a_renamed_village_is_in_the_list_at_once(project, village, alice):
    _register(project, village, "V-1", hh_size="4")
    Area.objects.filter(pk=village.pk).update(code="renamed,village")
    households = households_for_phone(project=project, actor=alice)

    assert b',"renamed,village",' in streamed_list(project, households)
    assert streamed_list(project, households) == _reference_csv(project, households)


def test_every_write_moves_the_token_of_the_scopes_that_hold_it(project, village, alice, bob):
    mine = _register(project, village, "W-1", hh_size="4")
    mine.helper = bob
    mine.save()
    household_line_write(mine)
    other = _register(project, village, "W-2", hh_size="5")
    bobs = households_for_phone(project=project, actor=bob)
    all_of_them = households_for_phone(project=project, actor=alice)
    before = household_list_token(project, bobs), household_list_token(project, all_of_them)

    other.review_note = "请补充"
    other.save(update_fields=["review_note"])  # updated_at left as it was: only the line moves
    household_line_write(other)

    assert household_list_token(project, bobs) == before[0]
    assert household_list_token(project, all_of_them) != before[1]
    mine.refresh_from_db()
    mine.review_note = "请补充"
    mine.save(update_fields=["review_note"])
    household_line_write(mine)
    assert household_list_token(project, bobs) != before[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's"
)
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
    reads(project, "note")
    households = households_for_phone(project=project, actor=alice)
    rows = household_list_rows(project, households)
    next(rows), next(rows)  # the header and the first block of 64 KiB

    rows.close()

    assert households.count() == 3000
