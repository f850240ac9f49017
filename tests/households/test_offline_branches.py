"""Offline updates (entities 2024.1) apply in their branch's order, whatever the arrival order."""

import uuid

from django.core.management import call_command

from backend.households.models import Conflict, HeldUpdate, Household
from tests.households.entity_forms import register_xml, send


def offline_xml(entity_id: str, *, base: int, trunk: int, branch: str, **answers) -> bytes:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in answers.items())
    return (
        f'<data id="visit" version="1"><hh>{entity_id}</hh>{fields}<meta>'
        f"<instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" id="{entity_id}" update="1" baseVersion="{base}" '
        f'trunkVersion="{trunk}" branchId="{branch}"/></meta></data>'
    ).encode()


def registered(collect) -> str:
    entity = str(uuid.uuid4())
    send(collect, register_xml(entity))
    return entity


def test_a_branch_sent_in_order_applies_without_conflict(collect, forms, village):
    entity, branch = registered(collect), str(uuid.uuid4())

    send(collect, offline_xml(entity, base=1, trunk=1, branch=branch, size=5))
    send(collect, offline_xml(entity, base=2, trunk=1, branch=branch, size=6))

    household = Household.objects.get(uuid=entity)
    assert (household.version, household.member_count, household.conflict) == (3, 6, Conflict.NONE)
    assert household.versions.get(version=3).base_version == 2


def test_an_update_that_arrives_first_waits_for_its_predecessor(collect, forms, village):
    entity, branch = registered(collect), str(uuid.uuid4())

    second = send(collect, offline_xml(entity, base=2, trunk=1, branch=branch, size=6))
    assert Household.objects.get(uuid=entity).version == 1
    assert HeldUpdate.objects.filter(submission=second).exists()
    assert second.entity_error == ""

    send(collect, offline_xml(entity, base=1, trunk=1, branch=branch, size=5))

    household = Household.objects.get(uuid=entity)
    assert household.version == 3
    assert household.member_count == 6  # applied in the branch's order, not the arrival order
    assert household.conflict == Conflict.NONE
    assert not HeldUpdate.objects.exists()


def test_a_lost_predecessor_is_forced_through_after_the_timeout(
    collect, forms, village, settings, capsys
):
    entity, branch = registered(collect), str(uuid.uuid4())
    send(collect, offline_xml(entity, base=3, trunk=1, branch=branch, size=7))
    settings.HOUSEHOLD_BACKLOG_HOURS = 0

    call_command("process_household_backlog")

    household = Household.objects.get(uuid=entity)
    assert (household.version, household.member_count) == (2, 7)
    assert household.conflict == Conflict.SOFT
    assert not HeldUpdate.objects.exists()
    assert "held offline updates applied: 1" in capsys.readouterr().out


def test_updates_held_less_than_the_timeout_keep_waiting(collect, forms, village, capsys):
    entity, branch = registered(collect), str(uuid.uuid4())
    send(collect, offline_xml(entity, base=3, trunk=1, branch=branch, size=7))

    call_command("process_household_backlog")

    assert Household.objects.get(uuid=entity).version == 1
    assert HeldUpdate.objects.count() == 1


def test_a_branch_interrupted_by_another_phone_is_a_soft_conflict(collect, forms, village):
    entity = registered(collect)
    send(collect, offline_xml(entity, base=1, trunk=1, branch=str(uuid.uuid4()), income=4000))

    send(collect, offline_xml(entity, base=2, trunk=2, branch=str(uuid.uuid4()), size=5))
    mine = str(uuid.uuid4())
    send(collect, offline_xml(entity, base=1, trunk=1, branch=mine, grade="B"))

    household = Household.objects.get(uuid=entity)
    assert household.version == 4
    assert household.versions.get(version=4).conflict == Conflict.SOFT
