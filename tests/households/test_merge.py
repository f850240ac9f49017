"""Submissions change households by the ODK Entities rules: create, update, conflicts, once."""

import uuid

import pytest

from backend.households.models import Conflict, Household, HouseholdVersion
from backend.pipeline.tasks import process_submission
from forms.services import Upload, form_publish
from tests.forms.mdforms import REGISTRATION as REGISTER
from tests.households.entity_forms import register_xml, send, visit_xml
from tests.households.phone import household_codes


@pytest.fixture
def registered(collect, forms, village):
    entity_id = str(uuid.uuid4())
    send(collect, register_xml(entity_id))
    return Household.objects.get(uuid=entity_id)


def test_registration_creates_the_household_with_version_one(registered, bob, village):
    assert (registered.code, registered.label, registered.head_name) == ("H-1", "H-1 王*", "王五")
    assert (registered.village, registered.helper, registered.member_count) == (village, bob, 3)
    assert (registered.latitude, registered.longitude, registered.accuracy) == (26.51, 106.71, 6.0)
    assert registered.version == 1
    (version,) = registered.versions.all()
    assert version.received["hh_code"] == "H-1"
    assert version.submission.form.xml_form_id == "register"


def test_visit_updates_received_properties_and_keeps_the_rest(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 1, size=4, income=5120.5))

    household = Household.objects.get(pk=registered.pk)
    assert household.version == 2
    assert household.member_count == 4
    assert str(household.income_per_capita) == "5120.50"
    assert household.properties["head_name"] == "王五"  # not sent: kept
    assert household.label == "H-1 王*"  # no label sent: kept
    assert household.conflict == Conflict.NONE
    latest = household.versions.get(version=2)
    assert latest.received == {"hh_size": "4", "income_pc": "5120.5"}
    assert latest.base_version == 1


def test_field_left_out_keeps_its_value_but_a_blank_one_blanks_it(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 1, grade="C"))
    send(collect, visit_xml(str(registered.uuid), 2, grade=""))

    household = Household.objects.get(pk=registered.pk)
    assert household.properties["house_grade"] == ""
    assert household.house_grade == ""


def test_parallel_visits_of_different_properties_are_a_soft_conflict(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 1, size=5))
    send(collect, visit_xml(str(registered.uuid), 1, income=3000))

    household = Household.objects.get(pk=registered.pk)
    assert household.version == 3
    assert (household.member_count, household.properties["income_pc"]) == (5, "3000")
    assert household.conflict == Conflict.SOFT
    assert household.versions.get(version=3).conflict == Conflict.SOFT


def test_parallel_visits_of_the_same_property_are_a_hard_conflict(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 1, size=5))
    send(collect, visit_xml(str(registered.uuid), 1, size=6))
    send(collect, visit_xml(str(registered.uuid), 2, income=1))

    household = Household.objects.get(pk=registered.pk)
    assert household.member_count == 6  # applied in arrival order: the last write wins
    assert household.conflict == Conflict.HARD  # and a later soft one does not downgrade it
    third = household.versions.get(version=3)
    assert (third.conflict, third.conflicting_properties) == (Conflict.HARD, ["hh_size"])


def test_same_value_sent_twice_in_parallel_is_not_hard(collect, registered):
    send(collect, visit_xml(str(registered.uuid), 1, size=5))
    send(collect, visit_xml(str(registered.uuid), 1, size=5))

    assert Household.objects.get(pk=registered.pk).conflict == Conflict.SOFT


def test_processing_again_changes_nothing(collect, registered):
    submission = send(collect, visit_xml(str(registered.uuid), 1, size=4))

    process_submission.call(submission.pk)
    process_submission.call(submission.pk)

    assert Household.objects.get(pk=registered.pk).version == 2
    assert HouseholdVersion.objects.filter(household=registered).count() == 2


def test_an_edited_visit_does_not_apply_twice(collect, registered):
    first = visit_xml(str(registered.uuid), 1, instance="uuid:v1", size=4)
    send(collect, first)
    send(
        collect,
        visit_xml(str(registered.uuid), 1, instance="uuid:v2", deprecated="uuid:v1", size=9),
    )

    household = Household.objects.get(pk=registered.pk)
    assert household.version == 2
    assert household.member_count == 4


def test_update_of_unknown_household_is_recorded_not_lost(collect, forms, village):
    submission = send(collect, visit_xml(str(uuid.uuid4()), 1, size=4))

    assert "does not exist" in submission.entity_error
    assert submission.processing_error == ""
    assert not Household.objects.exists()
    # A supervisor sees it: a flag on the submission, in the queue by risk.
    [flag] = submission.flags.filter(code="merge_refused", state="open")
    assert "does not exist" in flag.evidence["reason"]
    submission.refresh_from_db()
    assert submission.risk > 0


@pytest.mark.parametrize(
    ("xml_kwargs", "reason"),
    [
        ({"label": ""}, "needs a label"),
        ({"village": "nowhere"}, "village is missing or unknown"),
    ],
)
def test_registration_that_cannot_create_says_why(collect, forms, village, xml_kwargs, reason):
    submission = send(collect, register_xml(str(uuid.uuid4()), **xml_kwargs))

    assert reason in submission.entity_error
    assert not Household.objects.exists()


def test_a_second_household_with_the_same_code_is_refused(collect, registered):
    submission = send(collect, register_xml(str(uuid.uuid4()), code="H-1"))

    assert "already used" in submission.entity_error
    assert Household.objects.count() == 1


def test_update_based_on_a_version_that_never_was_is_refused(collect, registered):
    submission = send(collect, visit_xml(str(registered.uuid), 7, size=4))

    assert "never had" in submission.entity_error
    assert Household.objects.get(pk=registered.pk).version == 1


def test_registered_household_reaches_its_workers_list(collect, registered):
    assert household_codes(collect) == ["H-1"]


DATED_REGISTRATION = REGISTER.replace(
    "|        | geopoint | location | Location | geometry  |",
    "|        | geopoint | location | Location | geometry  |\n"
    "|        | text     | seen     | Seen     | last_visit |",
).replace("| register | 1       |", "| dated    | 1       |")


def test_a_date_sent_as_a_date_time_is_kept_as_its_date(collect, project, alice, village):
    form_publish(
        project=project, source=Upload("dated.md", DATED_REGISTRATION.encode()), published_by=alice
    )
    entity_id = str(uuid.uuid4())
    xml = (
        register_xml(entity_id)
        .replace(b'id="register"', b'id="dated"')
        .replace(b"</location>", b"</location><seen>2026-12-07T00:00:00.000+08:00</seen>")
    )

    send(collect, xml)

    household = Household.objects.get(uuid=entity_id)
    assert household.properties["last_visit"] == "2026-12-07"
    assert household.versions.get().received["last_visit"] == "2026-12-07T00:00:00.000+08:00"
    assert household.last_visit_at.date().isoformat() == "2026-12-07"
