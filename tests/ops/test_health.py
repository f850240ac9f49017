import socket
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backend.pipeline.tasks import check_evidence, process_submission
from backend.settings import _cache_options

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
}


@pytest.fixture
def database_queue(db, settings):
    settings.TASKS = DATABASE_QUEUE


def test_healthy_server_answers_200_with_each_check(db):
    response = Client().get("/health")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "storage", "cache", "tasks"}
    assert all(check["ok"] for check in data["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_queue_lag_is_the_age_of_the_oldest_ready_task(database_queue, settings):
    settings.HEALTH_MAX_TASK_LAG_SECONDS = 60
    process_submission.enqueue(1)
    process_submission.enqueue(2)
    DBTaskResult.objects.filter(args_kwargs__args=[1]).update(
        enqueued_at=timezone.now() - timedelta(seconds=30)
    )
    check_evidence.enqueue(1)
    tasks = Client().get("/health").json()["checks"]["tasks"]
    assert tasks["ok"] is True
    assert tasks["ready"] == 3
    assert 29 <= tasks["oldest_ready_seconds"] < 40
    assert tasks["queues"]["default"]["ready"] == 2
    assert 29 <= tasks["queues"]["default"]["oldest_ready_seconds"] < 40
    assert tasks["queues"]["evidence"]["ready"] == 1
    assert tasks["queues"]["evidence"]["oldest_ready_seconds"] < 10


def test_a_queue_that_falls_behind_makes_the_server_unhealthy(database_queue, settings):
    settings.HEALTH_MAX_TASK_LAG_SECONDS = 60
    process_submission.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    response = Client().get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["checks"]["tasks"]["ok"] is False


def test_an_unreachable_storage_makes_the_server_unhealthy(db, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    response = Client().get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {
        "ok": False,
        "error": "NotADirectoryError",
        "ms": response.json()["checks"]["storage"]["ms"],
    }


def test_head_is_allowed_and_post_is_not(db):
    assert Client().head("/health").status_code == 200
    assert Client().post("/health").status_code == 405


def test_a_cache_that_stopped_answering_fails_health_within_its_timeout(db, settings, monkeypatch):
    monkeypatch.setenv("CACHE_TIMEOUT_SECONDS", "1")
    # A server that takes connections (the kernel's backlog) and never answers: a hung Redis.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        backend = "backend.core.redis_cache.RedisCache"
        settings.CACHES = {
            "default": {
                "BACKEND": backend,
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": _cache_options(backend),  # as the settings configure Redis
            }
        }
        started = time.monotonic()
        response = Client().get("/health")
        waited = time.monotonic() - started
    assert response.status_code == 503
    cache = response.json()["checks"]["cache"]
    assert (cache["ok"], cache["error"]) == (False, "TimeoutError")
    assert waited < 5


# Outside a test transaction: the health view closes a connection that had errors, which would
# take the test's own transaction with it.
@pytest.mark.django_db(transaction=True)
def test_a_database_that_refuses_writes_makes_the_server_unhealthy():
    from django.db import connection

    read_only = {
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
        "postgresql": (
            "SET default_transaction_read_only = on",
            "SET default_transaction_read_only = off",
        ),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(read_only[0])
    try:
        response = Client().get("/health")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(read_only[1])
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
