#!/usr/bin/env python3
"""How long submissions waited for post-processing (the household merge, flags, evidence):
processed_at - created_at over the submissions received since a moment, once the queue is
drained. Run from bench/run_openrosa.sh with TASKS=worker.

    DATABASE_URL=... python bench/processing_lag.py --since 2026-11-23T12:00:00+00:00
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--since", required=True, help="ISO time: submissions received after it")
    parser.add_argument("--form", default="hh_visit", help="the form whose submissions count")
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--json", help="append the result to this JSON lines file")
    parser.add_argument("--label", default="processing lag")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM submissions_submission "
                "WHERE created_at >= %s AND processed_at IS NULL",
                [args.since],
            )
            (waiting,) = cursor.fetchone()
            if waiting == 0 or time.monotonic() - started > args.drain_timeout:
                break
            time.sleep(0.5)
        cursor.execute(
            """SELECT count(*),
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY lag),
                      percentile_cont(0.95) WITHIN GROUP (ORDER BY lag),
                      percentile_cont(0.99) WITHIN GROUP (ORDER BY lag),
                      max(lag)
               FROM (SELECT extract(epoch FROM processed_at - created_at) AS lag
                     FROM submissions_submission
                     WHERE created_at >= %s AND processed_at IS NOT NULL) AS l""",
            [args.since],
        )
        count, *lags = cursor.fetchone()
        p50, p95, p99, worst = (None if lag is None else round(float(lag), 3) for lag in lags)
    result = {
        "label": args.label,
        "scenario": "lag",
        "processed": count,
        "still_waiting": waiting,
        "drained_after_s": round(time.monotonic() - started, 1),
        "lag_p50_s": p50,
        "lag_p95_s": p95,
        "lag_p99_s": p99,
        "lag_max_s": worst,
    }
    print(
        f"  processing lag over {count} submissions: p50 {p50 or 0:.2f} s, p95 {p95 or 0:.2f} s, "
        f"p99 {p99 or 0:.2f} s, max {worst or 0:.2f} s; queue drained "
        f"{result['drained_after_s']} s after the load stopped ({waiting} still waiting)"
    )
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(result) + "\n")
    return 0 if waiting == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
