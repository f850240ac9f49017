#!/usr/bin/env python3
"""CPU of the app per phone request through the production WSGI handler, in-process, on
PostgreSQL with the database task queue: what granian's threads run for a request, without the
HTTP server, the test client or a load generator sharing the process.

    .venv/bin/python bench/wsgi_cost.py [--requests 300] [--blocks 5] [--database wsgicost]

It drops and fills the database (demo data), issues a device token and measures, in blocks
prepared beforehand: HEAD + POST of a filled `hh_visit` (the intake only: the merge tasks wait in
the queue, as with busy workers) and the form list. Prints the median CPU milliseconds of the
blocks. Run two checkouts one after the other (each from its own `git archive`) to compare.
"""

import argparse
import contextlib
import io
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(database: str) -> None:
    from intake_cost import setup as scratch_database  # the same database, queue and folder

    scratch_database(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per block")
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--database", default="wsgicost")
    args = parser.parse_args()
    setup(args.database)
    head_post, form_list = measure(args.requests, args.blocks)
    print(f"HEAD + POST {head_post:.3f} ms CPU, form list {form_list:.3f} ms CPU (medians)")
    return 0


def measure(count: int, blocks: int) -> tuple[float, float]:
    import openrosa_load as load
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from backend.accounts.models import User
    from backend.accounts.services import device_token_issue
    from backend.households.models import Household
    from backend.projects.models import Project

    project = Project.objects.get(slug="demo")
    _, secret = device_token_issue(user=User.objects.get(username="worker"), project=project)
    base = f"/key/{secret}/projects/demo"
    app = WSGIHandler()
    factory = RequestFactory(headers={"X-OpenRosa-Version": "1.0"})
    rng = random.Random(1)
    # Each visit builds on the version its household will have when its merge runs.
    households = {str(u): 1 for u in Household.objects.values_list("uuid", flat=True)}

    def visit() -> object:
        body = load.next_visit_body(households, rng, "b0undary")
        return factory.post(
            f"{base}/submission", data=body, content_type="multipart/form-data; boundary=b0undary"
        )

    def call(requests: Iterable[object]) -> float:
        started = time.process_time()
        for request in requests:
            response = app(request.environ, _start_response)  # type: ignore[attr-defined]
            b"".join(response)
            response.close()
        return (time.process_time() - started) / count * 1000

    def block(make: Callable[[], list[object]]) -> float:
        return call(make())  # prepared first: only the app's work is timed

    def submissions() -> list[object]:
        return [r for _ in range(count) for r in (factory.head(f"{base}/submission"), visit())]

    block(submissions)  # warm: caches, connection, compiled statements
    head_post = [block(submissions) for _ in range(blocks)]

    def form_lists() -> list[object]:
        return [factory.get(f"{base}/formList") for _ in range(count)]

    block(form_lists)
    lists = [block(form_lists) for _ in range(blocks)]
    return statistics.median(head_post), statistics.median(lists)


def _start_response(status: str, headers: list, exc_info: object = None) -> None:
    if not status.startswith(("200", "201", "204")):
        raise SystemExit(f"unexpected answer: {status}")


if __name__ == "__main__":
    sys.exit(main())
