"""recheck_submissions: idempotent, closes what no longer holds, filters, clear errors."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from backend.evidence.models import PhotoEvidence
from backend.evidence.services import evidence_check
from backend.flags.models import Flag
from tests.evidence.conftest import HOME_A, geopoint, open_codes, visit_values
from tests.media.photos import photo


@pytest.fixture
def short_visit(send, homes, base_time):
    taken = (base_time + timedelta(minutes=1)).replace(tzinfo=None)
    files = [("house.jpg", photo(60, taken=taken, lat=HOME_A[0], lon=HOME_A[1]))]
    return send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A, 80.0)),
        files,
        start=base_time,
        minutes=2,
    )


def test_recheck_twice_changes_nothing(short_visit, capsys):
    before = list(Flag.objects.order_by("pk").values_list("pk", "code", "state", "evidence"))
    assert {code for _, code, _, _ in before} == {"visit_too_short", "gps_low_accuracy"}
    thumbs = PhotoEvidence.objects.values_list("pk", "thumb_small", "updated_at")
    first_thumbs = list(thumbs)
    call_command("recheck_submissions")
    call_command("recheck_submissions")
    after = list(Flag.objects.order_by("pk").values_list("pk", "code", "state", "evidence"))
    assert after == before
    assert list(thumbs) == first_thumbs  # the photo was read once
    assert (
        "checked 1 submission(s): 0 flag(s) opened, 0 closed, 0 failed" in capsys.readouterr().out
    )


def test_recheck_after_a_threshold_change_closes_and_opens(short_visit, project):
    project.visit_min_minutes = 1
    project.gps_accuracy_max_m = 100
    project.save(update_fields=["visit_min_minutes", "gps_accuracy_max_m"])
    call_command("recheck_submissions")
    closed = Flag.objects.get(code="visit_too_short")
    assert closed.state == "closed"
    assert closed.closed_by_submission == short_visit
    assert open_codes(short_visit) == set()
    project.visit_min_minutes = 10
    project.save(update_fields=["visit_min_minutes"])
    call_command("recheck_submissions")
    # A new open flag; the closed one stays closed as history.
    assert Flag.objects.filter(code="visit_too_short").count() == 2
    assert open_codes(short_visit) == {"visit_too_short"}


def test_refreshes_evidence_of_an_open_flag(short_visit, project):
    project.visit_min_minutes = 7
    project.save(update_fields=["visit_min_minutes"])
    evidence_check(submission=short_visit)
    flag = Flag.objects.get(code="visit_too_short", state="open")
    assert flag.evidence["limit_minutes"] == 7
    assert Flag.objects.filter(code="visit_too_short").count() == 1


def test_filters_by_form_and_date(short_visit, capsys):
    call_command("recheck_submissions", "--form", "housing_inspection")
    assert "checked 0 submission(s)" in capsys.readouterr().out
    call_command("recheck_submissions", "--form", "hh_visit", "--since", "2000-01-01")
    assert "checked 1 submission(s)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--since must be a date"):
        call_command("recheck_submissions", "--since", "yesterday")


def test_a_lost_photo_file_is_reported_not_raised(short_visit):
    row = PhotoEvidence.objects.get(submission=short_visit)
    default_storage.delete(row.attachment.file.name)
    row.delete()
    evidence_check(submission=short_visit)
    flag = short_visit.flags.get(code="photo_not_image")
    assert flag.evidence["problem"].startswith("file unreadable")
