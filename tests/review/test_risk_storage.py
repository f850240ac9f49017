"""The stored risk score (Submission.risk) follows the flags and the weights."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from backend.flags.models import FlagState
from backend.flags.risk import risk_recompute
from backend.flags.services import Finding, flag_clear, subject_flags_reconcile
from backend.review.services import risk_weights_set
from backend.submissions.models import Submission


def stored(submission: Submission) -> int:
    return Submission.objects.values_list("risk", flat=True).get(pk=submission.pk)


def test_flags_opened_and_closed_by_the_services_change_the_score(flagged, homes, sam):
    risky = flagged["risky"]
    assert stored(risky) == 25
    finding = Finding(code="impossible_travel", subject=f"s{risky.pk}", evidence={"km": 90})
    opened, _closed = subject_flags_reconcile(
        submission=risky, household=homes["east"], codes=["impossible_travel"], findings=[finding]
    )
    assert len(opened) == 1
    assert stored(risky) == 35
    subject_flags_reconcile(
        submission=risky, household=homes["east"], codes=["impossible_travel"], findings=[]
    )
    assert stored(risky) == 25
    flag = risky.flags.get(code="photo_duplicate", state=FlagState.OPEN)
    flag_clear(flag=flag, actor=sam, note="the same house, another angle")
    assert stored(risky) == 15


def test_a_flag_opened_after_a_weights_change_counts_its_new_weight(flagged, homes, project):
    risky = flagged["risky"]
    risk_weights_set(project=project, weights={"impossible_travel": 40})
    finding = Finding(code="impossible_travel", subject=f"s{risky.pk}", evidence={"km": 90})
    subject_flags_reconcile(
        submission=risky, household=homes["east"], codes=["impossible_travel"], findings=[finding]
    )
    assert stored(risky) == 25 + 40

    risk_weights_set(project=project, weights={"impossible_travel": 7})
    subject_flags_reconcile(
        submission=risky, household=homes["east"], codes=["impossible_travel"], findings=[]
    )
    assert stored(risky) == 25  # closed, under the weights of the moment


def test_a_weights_change_recomputes_after_commit(
    flagged, project, django_capture_on_commit_callbacks
):
    risky, calm = flagged["risky"], flagged["calm"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        risk_weights_set(project=project, weights={"house_unsafe": 100})
    assert stored(risky) == 25  # not yet: the task runs after commit
    for callback in callbacks:
        callback()
    assert (stored(risky), stored(calm)) == (115, 101)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        risk_weights_set(project=project, weights={"house_unsafe": 100})
    assert callbacks == []  # nothing changed, nothing to recompute


def test_recompute_repairs_scores_and_the_command_reports(flagged, project):
    risky = flagged["risky"]
    Submission.objects.filter(pk=risky.pk).update(risk=999)
    Submission.objects.filter(pk=flagged["calm"].pk).update(risk=0)
    assert risk_recompute(project=project, batch_size=1) == 2
    assert (stored(risky), stored(flagged["calm"])) == (25, 11)
    out = StringIO()
    call_command("recompute_risk", "--project", "demo", stdout=out)
    assert "demo: 0 submission(s) changed" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("recompute_risk", "--project", "nowhere")


@pytest.mark.django_db(transaction=True)
def test_migration_backfills_scores_and_villages(flagged, homes):
    risky = flagged["risky"]
    Submission.objects.filter(pk=risky.pk).update(risk=0, village=None)
    executor = MigrationExecutor(connection)
    executor.migrate(
        [
            ("review", "0001_review_comments_and_risk_weights"),
            ("submissions", "0004_submission_risk"),
        ]
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    risky.refresh_from_db()
    assert (risky.risk, risky.village_id) == (25, homes["east"].village_id)
