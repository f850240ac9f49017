"""The phones' paths (settings.PHONE_PATHS) are exactly the OpenRosa paths of sync/urls.py: the
pages' middleware is passed over on them (backend/web/web_only.py) and on nothing else, and
they are answered by the view straight from sync/front.py."""

import pytest
from django.test import Client
from django.urls import reverse

from backend.web.web_only import is_phone_path

FORM = {"form_id": "hh_visit", "md5": "0123abcd"}
PHONE_ROUTES = [
    ("sync:form_list", {}),
    ("sync:submission", {}),
    ("sync:form_download", FORM),
    ("sync:form_manifest", FORM),
    ("sync:form_media", {**FORM, "name": "households.csv"}),
    ("sync:entity_integrity", {"name": "households"}),
]


@pytest.mark.parametrize(("name", "kwargs"), PHONE_ROUTES)
@pytest.mark.parametrize("token", [None, "T" * 64])
def test_every_openrosa_path_is_a_phone_path(name, kwargs, token):
    kwargs = {"slug": "demo", **kwargs, **({"token": token} if token else {})}

    assert is_phone_path(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/login/",
        "/admin/",
        "/api/v1/projects/demo/submissions",
        "/projects/demo/submissions/1/attachments/a.jpg",
        "/p/demo/households/",
        "/projects/demo/formList/",
        "/projects/demo/submission/extra",
        "/xprojects/demo/formList",
        "/key/a/b/projects/demo/formList",
    ],
)
def test_no_other_path_is(path):
    assert not is_phone_path(path)


def test_a_phone_gets_no_cookie_and_no_page_headers(collect, simple):
    response = collect("get", "formList")

    assert response.status_code == 200
    assert not response.cookies
    assert "Content-Security-Policy" not in response
    assert response["Content-Length"] == str(len(response.content))


def test_a_phone_request_keeps_what_the_middleware_before_the_view_gives_it(collect, simple):
    response = collect(
        "head", "submission", headers={"X-Request-ID": "req-1", "Accept-Language": "zh-hans"}
    )

    assert response.status_code == 204
    assert response["X-Request-ID"] == "req-1"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Language"] == "zh-hans"
    assert response.wsgi_request.resolver_match.view_name == "sync:submission"


def test_a_phone_path_the_openrosa_urls_do_not_take_gets_the_sites_404(client, db):
    response = client.get("/projects/no.dots/formList")

    assert is_phone_path("/projects/no.dots/formList")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_a_nul_in_a_phone_request_is_refused_before_the_view(collect, simple):
    response = collect("get", "formList?deviceID=%00")

    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.django_db
def test_the_pages_still_get_them():
    response = Client().get(reverse("web:login"))

    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"
