from backend.households.lists import household_list_csv, household_list_token, households_for_phone
from backend.households.models import Household


def test_an_empty_scope_has_a_token_and_a_header_only_list(project, mallory):
    households = households_for_phone(project=project, actor=mallory)

    assert len(household_list_token(households)) == 32
    assert household_list_csv(households) == b"name,label,__version,village,review_note\n"


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
