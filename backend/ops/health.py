"""What /health reports: can we reach the database, the file storage and the cache, and is the
task queue keeping up. Each check returns a dict with at least `ok`; failures say which kind of
error, not its text (the endpoint is public, and messages can name hosts)."""

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Min
from django.utils import timezone

from backend.ops.models import HealthProbe

Check = dict[str, Any]
_PROBE = "health/probe"


def database() -> Check:
    # A committed write, not a SELECT: phones' submissions need the database to take writes.
    HealthProbe.objects.update_or_create(pk=1, defaults={"checked_at": timezone.now()})
    return {"ok": True}


def storage() -> Check:
    # Write and delete a few bytes: what matters is that uploads can be stored. A missing folder
    # or a read-only mount shows here; on object storage it is one PUT and one DELETE.
    name = default_storage.save(f"{_PROBE}-{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return {"ok": True}


def cache() -> Check:
    # Every OpenRosa request reads it (device tokens, form lists, Digest nonces): a cache that
    # is down or stopped answering fails those requests, so say it here.
    key = f"{_PROBE}-{uuid.uuid4().hex}"
    default_cache.set(key, "ok", 10)
    found = default_cache.get(key)
    default_cache.delete(key)
    return {"ok": found == "ok"}


def tasks() -> Check:
    """How long the oldest task that is ready to run has waited (database queue only)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": backend.rsplit(".", 1)[-1]}
    from django_tasks_db.models import DBTaskResult  # only installed queues have the table

    now = timezone.now()
    queues = {
        row["queue_name"]: {
            "ready": row["ready"],
            "oldest_ready_seconds": round((now - row["oldest"]).total_seconds(), 1),
        }
        for row in DBTaskResult.objects.ready()
        .order_by()
        .values("queue_name")
        .annotate(ready=Count("pk"), oldest=Min("enqueued_at"))
    }
    lag = max((queue["oldest_ready_seconds"] for queue in queues.values()), default=0.0)
    return {
        "ok": lag <= settings.HEALTH_MAX_TASK_LAG_SECONDS,
        "backend": "database",
        "ready": sum(queue["ready"] for queue in queues.values()),
        "oldest_ready_seconds": lag,
        "queues": queues,  # the merges ("default") and the evidence checks lag separately
    }


def oldest_ready_task_seconds(queue: str) -> float | None:
    """Seconds the oldest task ready to run on `queue` has waited (0 when none); None when tasks
    do not wait in the database (the embedded default runs them at once)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return None
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready().filter(queue_name=queue)
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return (timezone.now() - oldest).total_seconds() if oldest else 0.0


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database,
    "storage": storage,
    "cache": cache,
    "tasks": tasks,
}


def health_report() -> tuple[bool, dict[str, Check]]:
    """Run every check; (all healthy, results by name with each one's time in ms)."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(result["ok"] for result in results.values()), results
