"""The sign-in lockout on the web pages, the admin and API tokens (OpenRosa: tests/sync)."""

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from backend.accounts.services import api_token_issue
from tests.factories import UserFactory

ATTACKER = "203.0.113.9"
PASSWORD = "secret-pass-123"


def _login(client: Client, username: str, password: str, path: str | None = None):
    path = path or reverse("web:login")
    return client.post(path, {"username": username, "password": password})


def test_an_address_guessing_many_user_names_is_locked_for_all(sam, settings):
    settings.LOGIN_ADDRESS_MAX_ATTEMPTS = 4
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for name in ("ann", "ben", "cat"):
        assert _login(attacker, name, "guess").status_code == 200

    assert _login(attacker, "dan", "guess").status_code == 429
    refused = _login(attacker, "sam", PASSWORD)

    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert _login(Client(), "sam", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_too(db, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    settings.AXES_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR=ATTACKER)
    admin_login = reverse("admin:login")
    for _ in range(2):
        assert _login(attacker, "root", "guess", admin_login).status_code == 200

    assert _login(attacker, "root", "guess", admin_login).status_code == 429
    refused = _login(attacker, "root", PASSWORD, admin_login)

    assert refused.status_code == 429
    assert "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in attacker.session
    assert AccessAttempt.objects.get(username="root").failures_since_start == 3
    assert _login(Client(), "root", PASSWORD, admin_login).status_code == 302


def test_wrong_api_tokens_are_counted_per_address(sam, settings):
    settings.LOGIN_ADDRESS_MAX_ATTEMPTS = 3
    attacker = Client(REMOTE_ADDR=ATTACKER)
    wrong = {"Authorization": "Bearer hv_" + "x" * 40}
    for _ in range(3):
        assert attacker.get("/api/v1/me", headers=wrong).status_code == 401

    refused = attacker.get("/api/v1/me", headers=wrong)

    assert refused.status_code == 429
    assert refused.json()["code"] == "auth.locked"
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        None,
        ATTACKER,
        3,
    )
    # A valid token cannot be guessed: it works from a locked address.
    _, secret = api_token_issue(user=sam, name="script")
    valid = attacker.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert valid.status_code == 200
    # Passwords from that address wait too; elsewhere they do not.
    assert _login(attacker, "sam", PASSWORD).status_code == 429
    assert Client().get("/api/v1/me", headers=wrong).status_code == 401
