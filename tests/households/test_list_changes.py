"""Which writes move the household list's token (endpoint-free; test_list_token.py asks the
OpenRosa endpoints): those that change a line a person gets, and no others."""

from backend.areas.models import Area, Level
from backend.households.area_edits import area_save
from backend.households.derived import household_before, household_written
from backend.households.lines import household_lines_refresh
from backend.households.lists import household_list_token, households_for_phone
from backend.households.models import Household
from backend.households.services import household_register, household_resolve_conflict
from backend.projects.models import Membership


def _token(project, actor):
    return household_list_token(project, households_for_phone(project=project, actor=actor))


def _register(project, village, code, helper=None):
    return household_register(
        project=project,
        code=code,
        label=f"{code} 张*",
        village=village,
        properties={"hh_size": "4"},
        helper=helper,
    )


def _write(household, **values):
    household = Household.objects.get(pk=household.pk)
    before = household_before(household)
    for name, value in values.items():
        setattr(household, name, value)
    household.save()
    household_written(household, before=before)


def test_a_write_no_line_shows_keeps_the_token(project, village, alice, bob):
    household = _register(project, village, "A-1", helper=bob)
    tokens = _token(project, alice), _token(project, bob)

    _write(household, head_name="李四", member_count=6)
    household_resolve_conflict(household=household, actor=alice, note="checked")

    assert (_token(project, alice), _token(project, bob)) == tokens


def test_a_new_label_or_note_moves_the_token_of_those_who_get_it(project, village, alice, bob):
    mine, other = _register(project, village, "A-1", helper=bob), _register(project, village, "B-1")
    tokens = _token(project, alice), _token(project, bob)

    _write(other, review_note="请补充")

    assert _token(project, alice) != tokens[0]
    assert _token(project, bob) == tokens[1]
    _write(mine, label="A-1 李*")
    assert _token(project, bob) != tokens[1]


def test_a_helper_moves_the_token_of_the_workers_whose_lists_change(project, village, alice, bob):
    household = _register(project, village, "A-1")
    tokens = _token(project, alice), _token(project, bob)

    _write(household, helper=bob)

    assert _token(project, alice) == tokens[0]
    assert _token(project, bob) != tokens[1]


def test_a_village_code_moves_the_tokens_of_the_lists_holding_its_households(
    project, village, alice, bob, sam
):
    other = Area.objects.create(
        code="demo-v02", name="西村", level=Level.VILLAGE, parent=village.parent
    )
    Membership.objects.get(project=project, user=sam).areas.set([other])
    _register(project, village, "A-1")
    _register(project, other, "B-1")
    tokens = _token(project, alice), _token(project, sam)

    village = Area.objects.get(pk=village.pk)
    village.code = "demo-v09"
    area_save(area=village)

    recoded = _token(project, alice)
    assert recoded != tokens[0]
    assert _token(project, sam) == tokens[1]
    village.name = "新村"  # not on the household list
    area_save(area=village)
    assert _token(project, alice) == recoded


def test_rendering_the_lines_again_keeps_the_token(project, village, alice):
    _register(project, village, "A-1")
    Household.objects.create(project=project, code="B-1", label="B", village=village, head_name="x")
    token = _token(project, alice)

    assert household_lines_refresh(project.pk) == 1

    assert _token(project, alice) == token
