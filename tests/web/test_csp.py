"""The Content-Security-Policy header: on every kind of response, built from the settings."""

import pytest
from django.test import Client

from backend.web.csp import object_storage_sources, url_source
from tests.factories import UserFactory
from tests.ops.test_deploy_settings import manage, production_env

POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; style-src 'self'; "
    "font-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; connect-src 'self'"
)


def directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1] for part in policy.split(";")
    }


@pytest.mark.parametrize(
    "path",
    ["/", "/p/demo/review/", "/p/demo/admin/settings/", "/admin/", "/api/v1/docs"],
)
def test_every_page_has_the_strict_policy(client: Client, alice, path):
    alice.is_staff = alice.is_superuser = True
    alice.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_errors_json_and_anonymous_pages_have_it_too(client: Client, db):
    for path, status in (("/login/", 200), ("/p/nowhere/review/", 302), ("/api/v1/projects", 401)):
        response = client.get(path)
        assert response.status_code == status, path
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    UserFactory(username="sam")
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/p/nowhere/review/")
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
        ("https://user:pw@tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("", None),
        ("/tiles/{z}/{x}/{y}.png", None),  # this server's own path: 'self' covers it
        ("javascript:alert(1)", None),
        ("https://{r}.example.org/{z}.png", None),
    ],
)
def test_url_source_is_the_scheme_and_host(url, source):
    assert url_source(url) == source


def test_object_storage_allows_the_endpoint_and_its_bucket_subdomains():
    assert object_storage_sources(endpoint_url="https://minio.example.org:9000") == [
        "https://minio.example.org:9000",
        "https://*.minio.example.org:9000",
    ]
    assert object_storage_sources(endpoint_url=None) == ["https://*.amazonaws.com"]


def test_settings_add_the_tile_host_and_photo_store_to_img_src(tmp_path):
    env = production_env(
        tmp_path,
        MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
        FILE_STORAGE="s3",
        S3_BUCKET="photos",
        S3_ENDPOINT_URL="https://store.example.org",
        CSP_IMG_SOURCES="https://cdn.example.org",
    )
    script = "from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY)"
    result = manage(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    policy = result.stdout.strip().splitlines()[-1]
    assert (
        "'img-src': [\"'self'\", 'data:', 'https://*.tile.example.org', "
        "'https://store.example.org', 'https://*.store.example.org', 'https://cdn.example.org']"
    ) in policy
