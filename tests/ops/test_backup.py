import gzip
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from backend.accounts.models import User
from backend.ops.backup import row_counts
from backend.submissions.models import Submission, SubmissionAttachment
from forms.models import FormAttachment
from tests.submissions.photos import publish_simple, submission_with_photo
from tests.sync.submissions import jpeg

PHOTO = jpeg(color=(1, 2, 3), size=(80, 60))


@pytest.fixture
def filled(project, alice, bob):
    """A project with users, a published form and a submission with a photo."""
    publish_simple(project, alice)
    submission = submission_with_photo(project, bob, photo=PHOTO)
    return submission.attachments.get(name="a.jpg").file.name


def wipe_everything():
    """An empty database and an empty storage, as on a new host."""
    names = [a.file.name for a in SubmissionAttachment.objects.all()]
    names += [f.file.name for f in FormAttachment.objects.exclude(file="")]
    call_command("flush", interactive=False, verbosity=0)
    for name in names:
        default_storage.delete(name)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_the_same_rows_and_files(filled, tmp_path):
    before = row_counts()
    target = tmp_path / "backup"
    call_command("backup", str(target), "--with-media", verbosity=0)
    manifest = [json.loads(line) for line in (target / "manifest.jsonl").read_text().splitlines()]
    photo = next(entry for entry in manifest if entry["name"] == filled)
    assert photo["size"] == len(PHOTO)
    assert (target / "media" / filled).read_bytes() == PHOTO
    assert json.loads((target / "backup.json").read_text())["counts"] == before

    wipe_everything()
    assert not User.objects.exists()
    assert not default_storage.exists(filled)

    call_command("restore", str(target), verbosity=0)
    assert row_counts() == before
    assert Submission.objects.get().submitted_by.username == "bob"
    with default_storage.open(filled, "rb") as restored:
        assert restored.read() == PHOTO


@pytest.mark.django_db(transaction=True)
def test_the_dump_is_json_lines(filled, tmp_path):
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    with gzip.open(tmp_path / "b" / "database.jsonl.gz", "rt") as dump:
        first = json.loads(dump.readline())
    assert {"model", "fields"} <= set(first)
    assert not (tmp_path / "b" / "media").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_data(filled, tmp_path):
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_restore_reports_a_photo_that_is_missing_or_changed(filled, tmp_path, capsys):
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    wipe_everything()
    with pytest.raises(CommandError, match="the restore is incomplete"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)
    assert f"missing file: {filled}" in capsys.readouterr().err

    call_command("flush", interactive=False, verbosity=0)
    default_storage.save(filled, __import__("io").BytesIO(b"other bytes"))
    with pytest.raises(CommandError, match="the restore is incomplete"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)
    assert f"file differs from the manifest: {filled}" in capsys.readouterr().err


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "old"))


def test_restore_of_something_that_is_not_a_backup_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="is not a readable backup"):
        call_command("restore", str(tmp_path))
