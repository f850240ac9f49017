"""A submission updates only households in its sender's scope; others are told, not changed."""

import pytest
from django.test import Client

from backend.flags.models import Flag, FlagState
from backend.households.models import Household
from backend.submissions.models import Submission
from tests.households.entity_forms import visit_xml


@pytest.fixture(autouse=True)
def _forms(forms):
    """The registration and visit forms with household blocks."""


def test_an_update_of_another_townships_household_is_kept_but_not_applied(
    townships, phone_of, client: Client
):
    target = townships.home_a
    xml = visit_xml(str(target.uuid), 1, income=100, grade="D")
    assert phone_of(townships.worker_b, xml).status_code == 201

    household = Household.objects.get(pk=target.pk)
    assert (household.version, household.properties["income_pc"]) == (1, "9000")
    assert household.versions.count() == 0
    submission = Submission.objects.get()
    assert submission.submitted_by == townships.worker_b
    assert "was not applied" in submission.entity_error
    assert str(target.uuid) not in submission.entity_error
    flag = Flag.objects.get(code="entity_out_of_scope")
    assert (flag.household, flag.state, flag.submission) == (target, FlagState.OPEN, submission)
    assert flag.evidence == {"sender": "worker_b"}
    # The household's own supervisors see it; the sender's supervisors do not.
    client.force_login(townships.supervisor_a)
    flags = client.get("/api/v1/projects/demo/flags", {"code": "entity_out_of_scope"}).json()
    assert [f["id"] for f in flags["results"]] == [flag.pk]
    client.force_login(townships.supervisor_b)
    assert client.get("/api/v1/projects/demo/flags").json()["results"] == []


def test_a_serious_flag_of_another_township_stays_open(townships, phone_of, project):
    project.monitoring_line = 6000
    project.save()
    target = townships.home_a
    Household.objects.filter(pk=target.pk).update(
        properties={**target.properties, "income_pc": "100"}
    )
    Flag.objects.create(
        project=project,
        household=target,
        village=target.village,
        code="income_below_line",
        severity="serious",
    )
    phone_of(townships.worker_b, visit_xml(str(target.uuid), 1, income=20000))
    assert Flag.objects.get(code="income_below_line").state == FlagState.OPEN


def test_an_update_in_the_senders_own_scope_applies(townships, phone_of):
    target = townships.home_b
    assert (
        phone_of(townships.worker_b, visit_xml(str(target.uuid), 1, income=7000)).status_code == 201
    )
    household = Household.objects.get(pk=target.pk)
    assert (household.version, household.properties["income_pc"]) == (2, "7000")
    assert Submission.objects.get().entity_error == ""
    assert not Flag.objects.filter(code="entity_out_of_scope").exists()


def test_a_supervisor_updates_households_of_their_township_only(townships, phone_of):
    phone_of(townships.supervisor_a, visit_xml(str(townships.home_a.uuid), 1, income=7000))
    phone_of(townships.supervisor_a, visit_xml(str(townships.home_b.uuid), 1, income=7000))
    assert Household.objects.get(pk=townships.home_a.pk).version == 2
    assert Household.objects.get(pk=townships.home_b.pk).version == 1
    assert Flag.objects.get(code="entity_out_of_scope").household == townships.home_b
