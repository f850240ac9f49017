#!/usr/bin/env python3
"""Whether post-processing a visit costs more as the visits pile up: batch after batch of visits
by one worker (the worst case for the previous-visit lookup), each batch received and then
drained by the two real tasks (the household merge, the evidence checks), in-process on
PostgreSQL. A flat drain time from the first batch to the last is the goal.

    .venv/bin/python bench/evidence_drain.py [--batches 10] [--visits 2000] [--database drain]

Prints, per batch, the wall and CPU seconds of this process for the drain (PostgreSQL's own CPU
is in the wall time), then the last batch's time over the first's.
"""

import argparse
import contextlib
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake_cost import setup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--visits", type=int, default=2000)
    parser.add_argument("--database", default="drain")
    args = parser.parse_args()
    setup(args.database)

    import openrosa_load as load
    from django.core.management import call_command
    from django.test import Client

    from backend.accounts.models import User
    from backend.accounts.services import device_token_issue
    from backend.households.models import Household
    from backend.pipeline.tasks import check_evidence, process_submission
    from backend.projects.models import Project
    from backend.submissions.models import Submission

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    project = Project.objects.get(slug="demo")
    _, secret = device_token_issue(user=User.objects.get(username="worker"), project=project)
    base = f"/key/{secret}/projects/demo"
    client = Client(headers={"X-OpenRosa-Version": "1.0"})
    rng = random.Random(1)
    households = {str(u): 1 for u in Household.objects.values_list("uuid", flat=True)}

    def submit() -> None:
        body = load.next_visit_body(households, rng, "b0undary")
        response = client.post(
            f"{base}/submission", data=body, content_type="multipart/form-data; boundary=b0undary"
        )
        assert response.status_code == 201, response.content[:300]

    first = None
    print(
        f"{'batch':>5} {'visits so far':>13} {'drain wall':>11} {'drain CPU':>10} {'per visit':>10}"
    )
    for batch in range(1, args.batches + 1):
        last = Submission.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for _ in range(args.visits):
            submit()
        pending = list(
            Submission.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
        )
        wall, cpu = time.perf_counter(), time.process_time()
        for submission_id in pending:
            process_submission.call(submission_id)
            check_evidence.call(submission_id)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        first = first or wall
        print(
            f"{batch:>5} {batch * args.visits:>13} {wall:>10.1f}s {cpu:>9.1f}s "
            f"{wall / len(pending) * 1000:>8.1f}ms",
            flush=True,
        )
    print(f"last batch / first batch: {wall / first:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
