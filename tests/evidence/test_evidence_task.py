"""Post-processing in two tasks: the household merge first, the evidence checks after it on
their own queue, at a lower priority, and a failure of the checks never undoes the merge."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from backend.evidence.models import VisitEvidence
from backend.households.models import HouseholdVersion
from backend.pipeline import steps, tasks
from backend.submissions.models import Submission
from tests.evidence.conftest import HOME_A, geopoint, visit_values
from tests.media.photos import photo


@pytest.fixture
def visit(send, homes, base_time):
    files = [("house.jpg", photo(80, lat=HOME_A[0], lon=HOME_A[1]))]
    return send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), files, start=base_time)


def test_embedded_default_merges_and_checks_before_the_201(visit):
    assert HouseholdVersion.objects.filter(submission=visit).exists()
    assert VisitEvidence.objects.filter(submission=visit).exists()
    assert visit.attachments.get().image_ok is True  # the evidence decode marked the photo


def test_merge_queues_the_checks_on_their_queue_behind_every_merge(
    visit, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_submission.call(visit.pk)
    queued = DBTaskResult.objects.get()
    assert (queued.queue_name, queued.priority) == ("evidence", tasks.EVIDENCE_PRIORITY)
    assert queued.task_path.endswith(".check_evidence")

    tasks.process_submission.enqueue(visit.pk)  # a later submission's merge goes first
    assert DBTaskResult.objects.ready().first().task_path.endswith(".process_submission")


def test_failed_checks_keep_the_merge_and_are_run_again(send, homes, base_time, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("storage is down")

    monkeypatch.setattr(steps, "evidence_check", broken)
    submission = send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time)
    submission.refresh_from_db()
    assert HouseholdVersion.objects.filter(submission=submission).exists()
    assert submission.processed_at is not None
    assert submission.processing_error == "evidence checks: RuntimeError: storage is down"

    monkeypatch.undo()
    call_command("process_submissions")
    submission.refresh_from_db()
    assert submission.processing_error == ""
    assert VisitEvidence.objects.filter(submission=submission).exists()
    assert HouseholdVersion.objects.filter(submission=submission).count() == 1


def test_checks_wait_for_the_merge(visit):
    Submission.objects.filter(pk=visit.pk).update(processed_at=None)
    VisitEvidence.objects.all().delete()
    tasks.check_evidence.call(visit.pk)
    assert not VisitEvidence.objects.exists()
