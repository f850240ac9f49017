"""Phones repeat the same reads on every request; the cache answers them without going stale
(backend/core/cache.py)."""

from uuid import uuid4

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.core.management import call_command
from django.test import override_settings

from backend.accounts.services import device_token_revoke
from forms.models import FormState
from forms.services import Upload, form_publish, form_set_state
from tests.forms import mdforms
from tests.sync.submissions import multipart, simple_xml


def test_repeated_form_list_and_head_read_nothing(collect, simple, django_assert_num_queries):
    collect("get", "formList")
    collect("head", "submission")

    with django_assert_num_queries(0):
        assert collect("get", "formList").status_code == 200
        assert collect("head", "submission").status_code == 204


# Post-processing is left to a worker here, so only the intake's own queries are counted.
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_known_form_version_costs_only_the_submission_queries(
    collect, simple, django_assert_max_num_queries
):
    collect("get", "formList")  # the first use of a token records its time and re-reads it
    collect("post", "submission", data=multipart(simple_xml("uuid:warm")))

    with django_assert_max_num_queries(5) as queries:
        collect("post", "submission", data=multipart(simple_xml("uuid:second")))

    # Insert the submission (nothing when it is a retry) and its expected photo: no token or
    # form reads, and no lookup of a retry before the insert.
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert [s.split()[0] + " " + s.split('"')[1] for s in sql] == [
        "INSERT submissions_submission",
        "INSERT submissions_submissionattachment",
    ]


def test_a_cached_token_is_refused_as_soon_as_it_is_revoked(collect, simple, bob):
    assert collect("get", "formList").status_code == 200

    device_token_revoke(token=bob.device_tokens.get())

    assert collect("get", "formList").status_code == 403
    assert collect("post", "submission", data=multipart(simple_xml("uuid:r"))).status_code == 403


def test_a_cached_form_is_closed_at_once(collect, simple):
    assert collect("post", "submission", data=multipart(simple_xml("uuid:a"))).status_code == 201

    form_set_state(form=simple.form, state=FormState.CLOSED)

    assert collect("post", "submission", data=multipart(simple_xml("uuid:b"))).status_code == 409
    assert b"<form" not in collect("get", "formList").content


@override_settings(SYNC_CACHE_SECONDS=0)
def test_without_caching_a_deactivated_worker_is_refused_at_once(collect, simple, bob):
    assert collect("get", "formList").status_code == 200
    bob.is_active = False
    bob.save()

    assert collect("get", "formList").status_code == 403


def test_deployments_are_warned_about_a_per_process_cache(capsys):
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        call_command("check", "--deploy", "--tag", "caches")
    assert "core.W002" in capsys.readouterr().err


def test_the_form_list_is_rendered_for_the_address_the_phone_used(collect, simple):
    lan = collect("get", "formList", HTTP_HOST="192.168.1.20:8000").content
    public = collect("get", "formList", HTTP_HOST="visits.example.org").content

    assert b"http://192.168.1.20:8000/key/" in lan
    assert b"http://visits.example.org/key/" in public
    assert b"192.168" not in public


def test_a_published_form_is_listed_at_once(collect, simple, project, alice):
    assert b"<formID>second</formID>" not in collect("get", "formList").content

    source = mdforms.SIMPLE.replace("| simple ", "| second ").encode()
    form_publish(project=project, source=Upload("s.md", source), published_by=alice)

    assert b"<formID>second</formID>" in collect("get", "formList").content


def _redis_cache() -> dict:
    # A key prefix of its own, so parallel test processes share the server without meeting.
    location = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    return {
        "default": {
            "BACKEND": "backend.core.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": uuid4().hex,
        }
    }


def test_with_redis_a_revoked_token_and_a_closed_form_are_seen_at_once(collect, simple, bob):
    with override_settings(CACHES=_redis_cache()):
        client = caches["default"]._cache
        assert client.get_client() is client.get_client()  # one client, not one per call
        assert collect("get", "formList").status_code == 200
        assert (
            collect("post", "submission", data=multipart(simple_xml("uuid:x"))).status_code == 201
        )

        form_set_state(form=simple.form, state=FormState.CLOSED)
        assert b"<form" not in collect("get", "formList").content
        device_token_revoke(token=bob.device_tokens.get())
        assert collect("get", "formList").status_code == 403


def test_versions_and_ids_with_spaces_make_safe_cache_keys(collect, project, alice, recwarn):
    md = mdforms.SIMPLE.replace("| simple  | 1       |", "| my form | 2026 12 01 v1 |")
    form_publish(project=project, source=Upload("f.md", md.encode()), published_by=alice)
    xml = simple_xml("uuid:spaced", version="2026 12 01 v1").replace(
        b'id="simple"', b'id="my form"'
    )

    assert collect("get", "formList").status_code == 200
    assert collect("post", "submission", data=multipart(xml)).status_code == 201

    assert not [w for w in recwarn if issubclass(w.category, CacheKeyWarning)]


def test_an_empty_form_id_filter_is_not_the_whole_list(collect, simple):
    assert b"<formID>simple</formID>" in collect("get", "formList").content

    assert b"<formID>" not in collect("get", "formList?formID=").content
