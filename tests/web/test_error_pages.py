"""The error pages: in the layout, in the reader's language, saying what happened and where to go.

The 500 page is rendered here with no database at all (no `db` fixture: any query would fail the
test) and with a session cookie that would need the database to read.
"""

import pytest
from django.test import Client

from backend.projects.models import Role
from tests.factories import MembershipFactory, UserFactory

TITLES = {
    400: {"en": "This request could not be read", "zh-hans": "无法处理这个请求"},
    403: {"en": "You may not do this", "zh-hans": "你无权进行此操作"},
    404: {"en": "Page not found", "zh-hans": "找不到页面"},
    500: {"en": "Something went wrong", "zh-hans": "服务器出错了"},
}
HOME = {"en": "Your projects", "zh-hans": "你的项目"}


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.web.error_urls"


def in_layout(response, status: int, language: str, title: str = "") -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="topbar"' in html  # the site's header, with the language menu
    assert 'id="language-select"' in html
    assert (title or TITLES[status][language]) in html
    assert HOME[language] in html
    assert 'href="/"' in html
    return html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_404_inside_a_project_address_shows_the_layout(client: Client, sam, language):
    client.force_login(sam)
    client.cookies["django_language"] = language

    html = in_layout(client.get("/p/nowhere/review/"), 404, language)

    assert "nowhere" not in html  # the address may name a record the reader may not see


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_404_for_someone_signed_out_offers_to_sign_in(client: Client, db, language):
    client.cookies["django_language"] = language

    html = in_layout(client.get("/no/such/page"), 404, language)

    assert 'href="/login/"' in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_403_for_a_role_too_low(client: Client, project, language):
    worker = UserFactory(username="worker")
    MembershipFactory(project=project, user=worker, role=Role.COLLECTOR)
    client.force_login(worker)
    client.cookies["django_language"] = language

    in_layout(client.get("/p/demo/review/"), 403, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_403_for_a_form_without_its_csrf_token(project, sam, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sam)
    client.cookies["django_language"] = language

    title = {"en": "The form could not be sent", "zh-hans": "表单未能提交"}[language]
    html = in_layout(client.post("/logout/"), 403, language, title)

    assert {"en": "Reload the page", "zh-hans": "刷新页面"}[language] in html
    assert "_auth_user_id" in client.session  # still signed in: nothing happened


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_400_for_a_suspicious_request(client: Client, db, error_urls, language):
    client.cookies["django_language"] = language

    in_layout(client.get("/suspicious/"), 400, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_500_renders_without_database_or_user(error_urls, language):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    client.cookies["sessionid"] = "a-session-only-the-database-knows"

    html = in_layout(client.get("/fails/"), 500, language)

    assert "a bug" not in html
    assert "Sign out" not in html
    assert 'href="/login/"' not in html
