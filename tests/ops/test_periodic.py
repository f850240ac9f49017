from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from backend.ops.models import PeriodicJob
from backend.ops.periodic import JOBS, Job, claim, run_due_jobs
from tests.concurrency import at_once


def test_every_job_runs_once_then_waits_for_its_interval(db):
    first = run_due_jobs()
    assert [name for name, _ in first] == [job.name for job in JOBS]
    assert dict(first)["check_overdue_visits"] == "overdue flags opened: 0, closed: 0"
    assert run_due_jobs() == []
    job = PeriodicJob.objects.get(name="process_household_backlog")
    assert job.last_result == "held offline updates applied: 0"
    assert job.next_run_at - job.last_started_at == timedelta(hours=1)


def test_a_job_runs_again_when_its_interval_has_passed(db):
    run_due_jobs()
    PeriodicJob.objects.filter(name="cleanup").update(next_run_at=timezone.now())
    assert [name for name, _ in run_due_jobs()] == ["cleanup"]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(db):
    def broken() -> str:
        raise RuntimeError("disk full")

    jobs = (
        Job("broken", timedelta(hours=1), broken),
        Job("fine", timedelta(hours=1), lambda: "ok"),
    )
    assert run_due_jobs(jobs) == [("broken", "RuntimeError: disk full"), ("fine", "ok")]
    assert PeriodicJob.objects.get(name="broken").last_failed is True
    assert PeriodicJob.objects.get(name="fine").last_failed is False


@pytest.mark.django_db(transaction=True)
def test_several_runners_claim_a_due_job_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    job = Job("shared", timedelta(minutes=5), lambda: "ok")
    claim(job)  # create the row, then make it due again
    PeriodicJob.objects.filter(name="shared").update(next_run_at=timezone.now())
    outcomes = at_once(lambda: claim(job), times=4)
    assert sorted(outcomes, key=str) == [False, False, False, True]


def test_the_command_runs_what_is_due_once(db, capsys):
    call_command("run_periodic", "--once")
    out = capsys.readouterr().out
    assert "check_overdue_visits: overdue flags opened: 0, closed: 0" in out
    assert "cleanup: expired sessions deleted: 0" in out
