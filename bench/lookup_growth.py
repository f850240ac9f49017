#!/usr/bin/env python3
"""The evidence checks' lookups across visits as one worker's visits pile up: the time of the
previous-visit lookup (selectors.previous_visit) and of the first identical photo
(selectors.identical_earlier_photo) at 1,000, 10,000 and 100,000 earlier visits (PostgreSQL's
execution time of their queries, median of --calls runs), with the
indexes the migrations create, then with the ones before (worker or phone and time, no
tie-break; sha256 alone), in one run on one database.

    .venv/bin/python bench/lookup_growth.py --database drain

The database must hold at least one processed visit with a located evidence record (run
bench/evidence_drain.py --batches 1 --visits 20 --database drain first). Copies of that visit
and its record are added in SQL (fresh instance ids, earlier end times, the same worker and
phone, each with a photo of the same bytes); they are removed at the end.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BEFORE = [
    "DROP INDEX IF EXISTS visit_worker_previous",
    "DROP INDEX IF EXISTS visit_device_previous",
    "DROP INDEX IF EXISTS photo_sha256_first",
    "CREATE INDEX IF NOT EXISTS bench_visit_worker ON evidence_visitevidence (worker_id, ended_at)",
    "CREATE INDEX IF NOT EXISTS bench_visit_device ON evidence_visitevidence (device_id, ended_at)",
    "CREATE INDEX IF NOT EXISTS bench_photo_sha256 ON evidence_photoevidence (sha256)",
]
AFTER = [
    "DROP INDEX IF EXISTS bench_visit_worker",
    "DROP INDEX IF EXISTS bench_visit_device",
    "DROP INDEX IF EXISTS bench_photo_sha256",
    "CREATE INDEX IF NOT EXISTS visit_worker_previous ON evidence_visitevidence "
    "(worker_id, ended_at DESC, id DESC) WHERE latitude IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS visit_device_previous ON evidence_visitevidence "
    "(device_id, ended_at DESC, id DESC) WHERE latitude IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS photo_sha256_first ON evidence_photoevidence (sha256, id)",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="drain")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    from django.db import connection

    from backend.evidence.models import PhotoEvidence, VisitEvidence
    from backend.evidence.selectors import identical_earlier_photo, previous_visit

    visit = VisitEvidence.objects.exclude(latitude=None).order_by("-pk").first()
    if visit is None:
        raise SystemExit("no located visit: run bench/evidence_drain.py first")
    # A photo of the latest submission, as the duplicate check sees it (a made-up hash that all
    # the copies share: every earlier copy matches).
    photo = PhotoEvidence(submission_id=visit.submission_id + 10**9, sha256="f" * 64)
    chain = {visit.submission_id}
    columns = _columns(connection, "submissions_submission")
    added = 0
    _run(connection, AFTER)
    print(f"{'earlier visits':>14} {'indexes':>8} {'previous visit':>15} {'first same photo':>17}")
    try:
        for total in (1_000, 10_000, 100_000):
            _copy(connection, columns, visit, added, total - added)
            added = total
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE evidence_visitevidence")
                cursor.execute("VACUUM ANALYZE evidence_photoevidence")
            for label, ddl in (("after", []), ("before", BEFORE)):
                _run(connection, ddl)
                one = _timed(connection, lambda: previous_visit(visit, chain), args.calls)
                two = _timed(connection, lambda: identical_earlier_photo(photo, chain), args.calls)
                print(f"{total:>14,} {label:>8} {one:>12.2f} ms {two:>14.2f} ms", flush=True)
            _run(connection, AFTER)
    finally:
        copies = "SELECT id FROM submissions_submission WHERE instance_id LIKE 'uuid:bench-copy-%%'"
        with connection.cursor() as cursor:
            for table in ("evidence_photoevidence", "evidence_visitevidence"):
                cursor.execute(f"DELETE FROM {table} WHERE submission_id IN ({copies})")
            cursor.execute(
                f"DELETE FROM submissions_submissionattachment WHERE submission_id IN ({copies})"
            )
            cursor.execute(f"DELETE FROM submissions_submission WHERE id IN ({copies})")
    return 0


def _columns(connection, table: str) -> list[str]:  # noqa: ANN001
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND column_name <> 'id' ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(connection, columns: list[str], visit, start: int, count: int) -> None:  # noqa: ANN001
    """`count` copies of the visit's submission and evidence, each earlier than the visit."""
    overrides = {
        "instance_id": "'uuid:bench-copy-' || g",
        "supersedes_id": "NULL",
        "xml_sha256": "md5(g::text)",
    }
    chosen = ", ".join(overrides.get(c, f"s.{c}") for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH made AS (
                    INSERT INTO submissions_submission ({", ".join(columns)})
                    SELECT {chosen} FROM submissions_submission s,
                           generate_series(%(start)s + 1, %(end)s) g
                    WHERE s.id = %(id)s RETURNING id),
                visits AS (
                    INSERT INTO evidence_visitevidence (created_at, updated_at, submission_id,
                        household_id, worker_id, device_id, point_field, latitude, longitude,
                        accuracy, started_at, ended_at)
                    SELECT now(), now(), made.id, v.household_id, v.worker_id, v.device_id,
                           v.point_field, v.latitude, v.longitude, v.accuracy, v.started_at,
                           v.ended_at - interval '1 second' * (1 + made.id %% 3600)
                    FROM made, evidence_visitevidence v WHERE v.id = %(visit)s
                    RETURNING submission_id)
                SELECT count(*) FROM visits""",
            {
                "start": start,
                "end": start + count,
                "id": visit.submission_id,
                "visit": visit.pk,
            },
        )
        # One earlier photo per copied submission: attachments are one-to-one, so each copy
        # gets a submission attachment of its own.
        cursor.execute(
            """WITH copies AS (
                   SELECT s.id FROM submissions_submission s
                   WHERE s.instance_id LIKE 'uuid:bench-copy-%%'
                     AND NOT EXISTS (SELECT 1 FROM evidence_photoevidence p
                                     WHERE p.submission_id = s.id)),
               attached AS (
                   INSERT INTO submissions_submissionattachment
                       (created_at, updated_at, submission_id, name, state, file, sha256, md5,
                        size, content_type, image_problem)
                   SELECT now(), now(), id, 'copy.jpg', 'received', 'bench/copy.jpg', '', '', 1,
                          'image/jpeg', ''
                   FROM copies RETURNING id, submission_id)
               INSERT INTO evidence_photoevidence (created_at, updated_at, attachment_id,
                   submission_id, field, sha256, decodable, problem, taken_offset_known,
                   thumb_small, thumb_large, phash, make, model)
               SELECT now(), now(), id, submission_id, 'house_photo', %s, true, '', false, '', '',
                      '', '', ''
               FROM attached""",
            ["f" * 64],
        )


def _run(connection, statements: list[str]) -> None:  # noqa: ANN001
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        if statements:
            cursor.execute("ANALYZE evidence_visitevidence")
            cursor.execute("ANALYZE evidence_photoevidence")


def _timed(connection, call, calls: int) -> float:  # noqa: ANN001
    """Median milliseconds PostgreSQL takes to execute the lookup's queries (EXPLAIN ANALYZE):
    the part that could grow with the data, and steady on a machine others keep busy."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    times = []
    with connection.cursor() as cursor:
        for _ in range(calls):
            total = 0.0
            for query in queries.captured_queries:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                total += cursor.fetchone()[0][0]["Execution Time"]
            times.append(total)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
