#!/usr/bin/env python3
"""CPU and queries per OpenRosa request, in-process, on PostgreSQL: a figure that stays put on a
busy machine (CPU seconds of this process, not wall time), to compare code changes.

    .venv/bin/python bench/intake_cost.py [--requests 300] [--database intake]

It drops and fills the database (demo data), issues a device token and, through Django's test
client with Collect's headers, measures: the form list; HEAD + POST of a filled `hh_visit`
(intake only: post-processing is left to the queue, as in production); and, with --processing,
the post-processing of those submissions (the household merge, rules and evidence checks).
"""

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(database: str) -> None:
    for command in (["dropdb", "--if-exists", database], ["createdb", database]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()


def measure(name: str, action: Callable[[], None], count: int) -> None:
    from django.db import connection

    for _ in range(10):
        action()  # warm: caches, prepared connection
    queries: list[str] = []

    def count_query(execute, sql, params, many, context) -> object:  # noqa: ANN001
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        action()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        action()
    cpu = (time.process_time() - cpu) / count * 1000
    wall = (time.perf_counter() - wall) / count * 1000
    print(f"{name:<28} {cpu:6.2f} ms CPU  {wall:6.2f} ms wall  {len(queries):3d} queries")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database", default="intake")
    parser.add_argument("--processing", action="store_true")
    args = parser.parse_args()
    setup(args.database)
    import contextlib
    import io

    import openrosa_load as load
    from django.core.management import call_command
    from django.test import Client

    from backend.accounts.models import User
    from backend.accounts.services import device_token_issue
    from backend.households.models import Household
    from backend.projects.models import Project
    from backend.submissions.models import Submission
    from backend.submissions.tasks import process_submission

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    project = Project.objects.get(slug="demo")
    _, secret = device_token_issue(user=User.objects.get(username="worker"), project=project)
    base = f"/key/{secret}/projects/demo"
    client = Client(headers={"X-OpenRosa-Version": "1.0"})
    rng = random.Random(1)
    households = {str(u): 1 for u in Household.objects.values_list("uuid", flat=True)}

    def form_list() -> None:
        assert client.get(f"{base}/formList").status_code == 200

    def submit() -> None:
        household = rng.choice(list(households))
        body = b"".join(load.multipart(load.visit_xml(household, 1, [], rng), [], "b0undary"))
        client.head(f"{base}/submission")
        response = client.post(
            f"{base}/submission", data=body, content_type="multipart/form-data; boundary=b0undary"
        )
        assert response.status_code == 201, response.content[:300]

    measure("form list", form_list, args.requests)
    measure("submission (HEAD + POST)", submit, args.requests)
    if args.processing:
        pending = iter(Submission.objects.filter(processed_at__isnull=True).order_by("pk"))
        measure("post-processing", lambda: process_submission.call(next(pending).pk), 100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
