"""A registration the registry refuses (its code already used, its village unknown, no label)
still gets its 201, a supervisor sees why as a flag on the submission, and the phone that
created the household offline drops it: the list's integrity check reports it deleted."""

import uuid
from xml.etree import ElementTree

import pytest

from backend.areas.models import Area, Level
from backend.households.models import Household, RefusedHousehold
from backend.pipeline.tasks import process_submission
from tests.households.entity_forms import register_xml, send


def integrity(collect, *ids: str) -> dict[str, str]:
    response = collect("get", f"lists/households/integrity?id={','.join(ids)}")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {e.get("id"): e.findtext("deleted") for e in root.iter("entity")}


@pytest.fixture
def registered(collect, forms, village):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    return entity_id


@pytest.mark.parametrize(
    ("xml_kwargs", "reason"),
    [
        ({"label": ""}, "needs a label"),
        ({"village": "nowhere"}, "village is missing or unknown"),
        ({"code": "H-1"}, "already used"),
    ],
)
def test_a_refused_registration_is_flagged_and_reported_deleted(
    collect, registered, xml_kwargs, reason
):
    ghost = str(uuid.uuid4())
    submission = send(collect, register_xml(ghost, **xml_kwargs))

    assert not Household.objects.filter(uuid=ghost).exists()
    [flag] = submission.flags.filter(code="merge_refused", state="open")
    assert reason in flag.evidence["reason"]
    unknown = str(uuid.uuid4())
    assert integrity(collect, ghost, registered, unknown) == {
        ghost: "true",
        registered: "false",
    }


def test_processing_a_refused_registration_again_keeps_one_record(collect, forms, village):
    ghost = str(uuid.uuid4())
    submission = send(collect, register_xml(ghost, village="nowhere"))

    process_submission.call(submission.pk)

    assert RefusedHousehold.objects.get().uuid == uuid.UUID(ghost)


def test_a_refused_registration_merged_later_is_no_longer_deleted(collect, forms, village):
    ghost = str(uuid.uuid4())
    submission = send(collect, register_xml(ghost, village="v-new"))
    assert integrity(collect, ghost) == {ghost: "true"}
    Area.objects.create(code="v-new", name="新村", level=Level.VILLAGE, parent=village.parent)

    process_submission.call(submission.pk)

    assert Household.objects.filter(uuid=ghost).exists()
    assert integrity(collect, ghost) == {ghost: "false"}
    assert not submission.flags.filter(code="merge_refused", state="open").exists()


def test_a_registration_awaiting_approval_is_not_reported(collect, forms, village, project):
    project.household_creation_needs_approval = True
    project.save()
    waiting = str(uuid.uuid4())

    send(collect, register_xml(waiting))

    assert integrity(collect, waiting) == {}
