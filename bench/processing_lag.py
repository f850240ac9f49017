#!/usr/bin/env python3
"""How long submissions waited for post-processing, once the queues are drained, over the
submissions received since a moment:

- merge lag: received -> household merged and its monitoring flags set (`processed_at`), what a
  phone waits for before its household list shows the visit;
- evidence lag: received -> photo, GPS and timing checks done (the visit's evidence record).

Run from bench/run_openrosa.sh with TASKS=worker.

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
    parser.add_argument(
        "--form",
        default="hh_visit",
        help="the form whose submissions count (not the registrations made before the run)",
    )
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--json", help="append the result to this JSON lines file")
    parser.add_argument("--label", default="processing lag")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.db import connection

    started = time.monotonic()
    where = {"since": args.since, "form": args.form}
    with connection.cursor() as cursor:
        while True:
            cursor.execute(_WAITING, where)
            waiting, unchecked = cursor.fetchone()
            if waiting + unchecked == 0 or time.monotonic() - started > args.drain_timeout:
                break
            time.sleep(0.5)
        drained = round(time.monotonic() - started, 1)
        merge = _lags(cursor, _MERGE_LAG, where)
        evidence = _lags(cursor, _EVIDENCE_LAG, where)
    result = {
        "label": args.label,
        "scenario": "lag",
        "processed": merge[0],
        "still_waiting": waiting,
        "evidence_still_waiting": unchecked,
        "drained_after_s": drained,
        **{f"lag_{key}_s": value for key, value in zip(_KEYS, merge[1:], strict=True)},
        "evidence_checked": evidence[0],
        **{f"evidence_lag_{key}_s": value for key, value in zip(_KEYS, evidence[1:], strict=True)},
    }
    for name, (count, p50, p95, p99, worst) in (("merge", merge), ("evidence", evidence)):
        print(
            f"  {name} lag over {count} submissions: p50 {p50 or 0:.2f} s, p95 {p95 or 0:.2f} s, "
            f"p99 {p99 or 0:.2f} s, max {worst or 0:.2f} s"
        )
    print(
        f"  queues drained {drained} s after the load stopped ({waiting} merges, {unchecked} "
        "evidence checks still waiting)"
    )
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(result) + "\n")
    return 0 if waiting + unchecked == 0 else 1


_KEYS = ("p50", "p95", "p99", "max")
# The submissions of the form received since the moment (psycopg named parameters).
_SINCE = (
    "s.created_at >= %(since)s AND NOT s.encrypted AND s.form_id IN "
    "(SELECT id FROM forms_form WHERE xml_form_id = %(form)s)"
)
_WAITING = f"""
    SELECT count(*) FILTER (WHERE s.processed_at IS NULL),
           count(*) FILTER (WHERE v.id IS NULL)
    FROM submissions_submission s
    LEFT JOIN evidence_visitevidence v ON v.submission_id = s.id
    WHERE {_SINCE}"""
_MERGE_LAG = f"""
    SELECT extract(epoch FROM s.processed_at - s.created_at) FROM submissions_submission s
    WHERE {_SINCE} AND s.processed_at IS NOT NULL"""
# The evidence record is written when the checks run (update_or_create: its updated_at).
_EVIDENCE_LAG = f"""
    SELECT extract(epoch FROM v.updated_at - s.created_at)
    FROM submissions_submission s JOIN evidence_visitevidence v ON v.submission_id = s.id
    WHERE {_SINCE}"""


def _lags(cursor: object, lags_sql: str, where: dict[str, str]) -> tuple:
    """Count, p50, p95, p99 and max of the lags (seconds) the query selects."""
    cursor.execute(  # type: ignore[attr-defined]
        f"""SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY lag),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY lag),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY lag),
                   max(lag)
            FROM ({lags_sql}) AS l(lag)""",
        where,
    )
    count, *lags = cursor.fetchone()  # type: ignore[attr-defined]
    return (count, *(None if lag is None else round(float(lag), 3) for lag in lags))


if __name__ == "__main__":
    sys.exit(main())
