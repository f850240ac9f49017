from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from forms.models import Form
from tests.forms import mdforms


def write(tmp_path: Path, text: str, name: str = "form.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_prints_form_id_and_version(tmp_path, project, capsys):
    call_command("publish_form", str(write(tmp_path, mdforms.SIMPLE)), project="demo")

    out = capsys.readouterr().out
    assert "simple version 1: published" in out
    assert "warning: [row : 4]" in out
    assert Form.objects.get().xml_form_id == "simple"


def test_second_run_reports_unchanged(tmp_path, project, capsys):
    path = write(tmp_path, mdforms.SIMPLE)
    call_command("publish_form", str(path), project="demo")
    call_command("publish_form", str(path), project="demo")

    assert "already published (unchanged)" in capsys.readouterr().out


def test_attach_and_missing_attachments(tmp_path, project, capsys):
    form = write(tmp_path, mdforms.WITH_MEDIA)
    crops = write(tmp_path, "name,label\nmaize,Maize\n", name="crops.csv")

    call_command("publish_form", str(form), project="demo", attach=[crops], user=None)

    out = capsys.readouterr().out
    assert "missing attachment: logo.png" in out
    assert "crops.csv" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "nope"], "no project with slug 'nope'"),
        (["--project", "demo", "--user", "ghost"], "no user named 'ghost'"),
    ],
)
def test_bad_arguments_are_command_errors(tmp_path, project, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("publish_form", str(write(tmp_path, mdforms.SIMPLE)), *args)


def test_unreadable_file_is_a_command_error(tmp_path, project):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("publish_form", str(tmp_path / "missing.xlsx"), project="demo")


def test_broken_form_exits_1_with_the_row_and_no_traceback(tmp_path, project):
    """Run the real command line, as an admin would."""
    import os
    import subprocess
    import sys

    path = write(tmp_path, mdforms.UNKNOWN_TYPE, name="broken.md")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    subprocess.run(
        [sys.executable, str(manage), "migrate", "-v0"], env=env, check=True, timeout=120
    )
    subprocess.run(
        [
            sys.executable,
            str(manage),
            "shell",
            "-c",
            "from backend.projects.models import Project; "
            "Project.objects.create(slug='p', name='P')",
        ],
        env=env,
        check=True,
        timeout=60,
    )

    done = subprocess.run(
        [sys.executable, str(manage), "publish_form", str(path), "--project", "p"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert "[row : 3] On the 'survey' sheet, unknown question type 'foo'" in done.stderr
    assert "Traceback" not in done.stderr
