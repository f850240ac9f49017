"""Phones repeat the same reads on every request; the cache answers them without going stale
(backend/core/cache.py)."""

from django.core.management import call_command
from django.test import override_settings

from backend.accounts.services import device_token_revoke
from forms.models import FormState
from forms.services import form_set_state
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

    # Look for a retry, insert the submission and its expected photo: no token or form reads.
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert [s.split()[0] + " " + s.split('"')[1] for s in sql] == [
        "SELECT submissions_submission",
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
