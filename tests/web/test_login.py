from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from backend.accounts.models import User
from backend.projects.models import Project


def _login(client: Client, username: str, password: str) -> object:
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_signs_in_and_lists_the_users_projects(client: Client, sam: User, project: Project):
    response = _login(client, "sam", "secret-pass-123")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "Demo project" in home.content.decode()
    assert "Supervisor" in home.content.decode()


def test_home_needs_sign_in(client: Client, db: None):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_mallory_sees_no_project(client: Client, mallory: User, project: Project):
    client.force_login(mallory)
    content = client.get(reverse("web:home")).content.decode()
    assert "Demo project" not in content
    assert "no role in any project" in content


def test_wrong_password_is_refused_without_a_session(client: Client, sam: User):
    response = _login(client, "sam", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_attempts_are_limited_per_user_and_address(client: Client, sam: User, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _login(client, "sam", "wrong").status_code == 200

    assert _login(client, "sam", "wrong").status_code == 429
    blocked = _login(client, "sam", "secret-pass-123")

    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Attempts refused while locked are not counted: the lock ends on time.
    assert AccessAttempt.objects.get(username="sam").failures_since_start == 3
    # Another address is not blocked by this one's failures.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _login(other, "sam", "secret-pass-123").status_code == 302


def test_a_successful_sign_in_resets_the_count(client: Client, sam: User, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _login(client, "sam", "wrong")
    assert _login(client, "sam", "secret-pass-123").status_code == 302
    client.logout()
    _login(client, "sam", "wrong")
    assert _login(client, "sam", "secret-pass-123").status_code == 302


def test_login_form_needs_csrf_token(sam: User):
    strict = Client(enforce_csrf_checks=True)
    response = _login(strict, "sam", "secret-pass-123")
    assert response.status_code == 403


def test_sign_out_is_a_post(client: Client, sam: User):
    client.force_login(sam)
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.post(reverse("web:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_sessions_expire(client: Client, sam: User, settings):
    _login(client, "sam", "secret-pass-123")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session.get_expire_at_browser_close() is settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_switches_language(client: Client, sam: User):
    client.force_login(sam)
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert "你的项目" in client.get(reverse("web:home")).content.decode()
