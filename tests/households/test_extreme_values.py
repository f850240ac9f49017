"""A number or a time the registry cannot hold never stops a visit from being merged: the
answer is kept as sent, the column keeps its value, and a flag says what to correct."""

import uuid

import pytest

from backend.flags.models import Flag, FlagState
from backend.households.models import Household
from tests.households.entity_forms import register_xml, send, visit_xml


@pytest.fixture
def registered(collect, forms, village):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    send(collect, visit_xml(entity_id, 1, size=4, income=5000))
    return Household.objects.get(uuid=entity_id)


@pytest.mark.parametrize(
    ("answers", "prop"),
    [
        ({"size": 40000}, "hh_size"),
        ({"income": "NaN"}, "income_pc"),
        ({"income": "Infinity"}, "income_pc"),
        ({"income": "1e400"}, "income_pc"),
        ({"income": 20000000000}, "income_pc"),
    ],
)
def test_a_value_the_column_cannot_hold_is_kept_flagged_and_merged(
    collect, registered, answers, prop
):
    submission = send(collect, visit_xml(str(registered.uuid), 2, **answers))

    submission.refresh_from_db()
    assert (submission.processing_error, submission.entity_error) == ("", "")
    household = Household.objects.get(pk=registered.pk)
    assert household.version == 3  # merged
    assert household.properties[prop] == str(next(iter(answers.values())))
    assert (household.member_count, str(household.income_per_capita)) == (4, "5000.00")
    flag = Flag.objects.get(household=household, code="value_out_of_range")
    assert prop in flag.evidence["values"]


def test_the_flag_closes_when_a_later_visit_corrects_the_value(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 2, size=40000))
    send(collect, visit_xml(str(registered.uuid), 3, size=5))

    flag = Flag.objects.get(household=registered, code="value_out_of_range")
    assert flag.state == FlagState.CLOSED
    assert Household.objects.get(pk=registered.pk).member_count == 5


@pytest.mark.parametrize(
    "start",
    [
        "2026-02-30T10:00:00.000+08:00",
        "2026-13-01T10:00:00.000+08:00",
        "2026-03-01T10:00:00.000+25:00",
        # Moments Python cannot hold in UTC: PostgreSQL would store them (as 1 BC and 10000 AD)
        # and every later read of the submission would fail.
        "0001-01-01T00:00:00.000+14:00",
        "9999-12-31T23:59:59.999-14:00",
    ],
)
def test_a_start_time_that_is_no_moment_leaves_the_visit_merged(collect, registered, start):
    xml = visit_xml(str(registered.uuid), 2, size=6).replace(
        b"<hh>", f"<start>{start}</start><hh>".encode()
    )
    submission = send(collect, xml)

    submission.refresh_from_db()
    assert submission.processing_error == ""
    assert submission.processed_at is not None
    assert submission.started_at is None
    assert Household.objects.get(pk=registered.pk).member_count == 6
