"""The production settings, loaded in a fresh process as a deployment would load them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "k9#Qw2!zR7@pL4$mN8^bV1&cX5*hJ3(gF6)dS0_aT" * 2


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECRET_", "SITE_", "ALLOWED_"))
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="backend.settings",
        SECRET_KEY=KEY,
        ALLOWED_HOSTS="visits.example.org",
        SITE_URL="https://visits.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DATA_DIR=str(tmp_path),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_turn_on_https_queue_and_json_logs(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.TASKS['default']['BACKEND'], s.LOG_FORMAT, "
        "s.DATABASES['default']['CONN_MAX_AGE'])"
    )
    result = manage(production_env(tmp_path), "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    # The shell first says how many objects it imported: the last line is ours.
    assert result.stdout.strip().splitlines()[-1].split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
        "31536000",
        "django_tasks_db.DatabaseBackend",
        "json",
        "60",
    ]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(tmp_path, missing):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert f"{missing} (or {missing}_FILE) must be set when DJANGO_ENV=production" in result.stderr


def test_unknown_environment_name_is_refused(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_ENV="prod"), "check")
    assert result.returncode != 0
    assert "DJANGO_ENV must be embedded or production, not 'prod'" in result.stderr


def test_s3_storage_needs_a_bucket(tmp_path):
    result = manage(production_env(tmp_path, FILE_STORAGE="s3"), "check")
    assert result.returncode != 0
    assert "S3_BUCKET (or S3_BUCKET_FILE) must be set when FILE_STORAGE=s3" in result.stderr


def test_the_embedded_default_needs_nothing(tmp_path):
    env = production_env(tmp_path, DJANGO_ENV=None, SECRET_KEY=None, SITE_URL=None)
    env.update(ALLOWED_HOSTS="", DATABASE_URL=f"sqlite:///{tmp_path / 'embedded.sqlite3'}")
    result = manage(env, "check")
    assert result.returncode == 0, result.stderr


SIGN_IN_AND_SHOW_COOKIES = """
from django.core.management import call_command
from django.test import Client
from backend.accounts.models import User
call_command("migrate", verbosity=0)
User.objects.create_user("ops", password="cookie-pass-2026")
client = Client(HTTP_HOST="visits.example.org")
client.get("/login/", secure=True)
client.post("/login/", {"username": "ops", "password": "cookie-pass-2026",
    "csrfmiddlewaretoken": client.cookies["csrftoken"].value}, secure=True)
for name in ("sessionid", "csrftoken"):
    c = client.cookies[name]
    print("COOKIE", name, bool(c["secure"]), bool(c["httponly"]), c["samesite"])
"""


def test_production_cookies_are_secure_httponly_and_same_site(tmp_path):
    """The cookies a production sign-in sets, read from the real responses."""
    result = manage(production_env(tmp_path), "shell", "-c", SIGN_IN_AND_SHOW_COOKIES)

    assert result.returncode == 0, result.stderr
    cookies = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("COOKIE")]
    # The session cookie: HTTPS only, out of reach of scripts, not sent on cross-site requests.
    # The CSRF cookie: HTTPS only; scripts may read it (Django's documented way for htmx and
    # fetch to send the token), which is safe because it is checked against the session.
    assert cookies == [
        ["sessionid", "True", "True", "Lax"],
        ["csrftoken", "True", "False", "Lax"],
    ]


def test_the_database_time_limits_reach_postgresql_connections(tmp_path):
    script = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS'])"
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused",
        DATABASE_STATEMENT_TIMEOUT_MS="30000",
        DATABASE_LOCK_TIMEOUT_MS="5000",
    )
    result = manage(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    expected = "-c statement_timeout=30000 -c lock_timeout=5000"
    assert f"'options': '{expected}'" in result.stdout.strip().splitlines()[-1]
