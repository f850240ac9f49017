import pytest
from django.core.management import CommandError, call_command

from backend.submissions.models import Submission
from tests.sync.submissions import multipart, simple_xml


def test_reprocesses_pending_and_failed_submissions(collect, simple, capsys):
    collect("post", "submission", data=multipart(simple_xml("uuid:a")))
    Submission.objects.update(processed_at=None, fields={}, processing_error="KeyError: x")

    call_command("process_submissions")

    submission = Submission.objects.get()
    assert submission.processed_at is not None
    assert submission.processing_error == ""
    assert submission.fields["name"] == "Li"
    assert "processed 1 submission(s), 0 failed" in capsys.readouterr().out


def test_all_runs_again_idempotently(collect, simple, capsys):
    collect("post", "submission", data=multipart(simple_xml("uuid:b")))
    before = Submission.objects.get().fields

    call_command("process_submissions", "--all", "--form", "simple", "--since", "2020-01-01")

    assert Submission.objects.get().fields == before
    assert "processed 1" in capsys.readouterr().out


def test_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("process_submissions", "--since", "yesterday")
