#!/usr/bin/env python3
"""Server time of the supervisor and admin pages with 100,000 households and 1,000,000 submissions.

    .venv/bin/python bench/page_render.py --runs 5

The first run fills the PostgreSQL database `render_bench` (or --database): the demo project,
4 townships of 25 villages, --households households (a worker helps them all), --submissions
current and superseded submissions of the three library forms over the last year, each with a
household version (household H1 has 400 more: a long timeline), a photo attachment row, flags
(about one in two submissions, two thirds of them open) and --access-log access log entries. It
is written with INSERT ... SELECT (minutes), then the stored risk scores are computed by the same
function the `recompute_risk` command runs. Later runs reuse the database (--refill starts over).

Each page is requested with Django's test Client in-process, as the demo admin (a superuser,
every area) and as a supervisor of the first township (a quarter of the data): one warm-up, then
--runs runs; the table shows the median and range of wall time, the median CPU time of this
process (steadier on a shared machine) and the number of queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNSHIPS, VILLAGES_PER_TOWNSHIP = 4, 25
LONG_TIMELINE = 400  # extra visits of household H1
SUPERVISOR = "bench-supervisor"

# (code, severity, which submissions get one) — about 0.55 flags a submission.
FLAG_RULES = [
    ("photo_no_exif", "info", "g % 4 = 0"),
    ("gps_far_from_household", "serious", "g % 10 = 0"),
    ("visit_too_short", "warning", "g % 6 = 1"),
    ("photo_duplicate", "serious", "g % 37 = 0"),
    ("impossible_travel", "serious", "g % 97 = 0"),
]


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("SECRET_KEY", "bench-page-render")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def psql(database: str, *args: str) -> None:
    subprocess.run([*args, "-h", "127.0.0.1", "-U", "postgres", database], check=True)


def step(label: str, sql: str, params: list[object] | None = None) -> None:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.rowcount
    print(f"  {label}: {rows} rows, {time.perf_counter() - start:.1f} s", flush=True)


def filled(submissions: int) -> bool:
    from backend.submissions.models import Submission

    return Submission.objects.filter(project__slug="demo").count() >= submissions


def fill(households: int, submissions: int, access_log: int) -> None:
    import contextlib
    import io

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    ids = _fill_ids()
    _fill_areas(ids)
    _fill_households(ids, households)
    _fill_submissions(ids, households, submissions)
    _fill_flags_and_files(ids, submissions, access_log)
    _fill_scores()
    # After the scores, which rewrote a third of the submissions: index-only scans need a fresh
    # visibility map, the planner fresh statistics, as autovacuum keeps them in production.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  vacuum analyze done at {time.perf_counter() - started:.0f} s", flush=True)
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)


def _fill_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.id, (SELECT id FROM accounts_user WHERE username = 'worker'),
                      (SELECT id FROM accounts_user WHERE username = 'admin'),
                      (SELECT id FROM areas_area WHERE code = 'demo-c01'),
                      (SELECT coalesce(max(id), 0) FROM households_household),
                      (SELECT coalesce(max(id), 0) FROM submissions_submission)
               FROM projects_project p WHERE p.slug = 'demo'"""
        )
        row = cursor.fetchone()
    keys = ("project", "worker", "admin", "county", "household_base", "submission_base")
    return dict(zip(keys, row, strict=True))


def _fill_areas(ids: dict[str, int]) -> None:
    step(
        "townships",
        """INSERT INTO areas_area (created_at, updated_at, code, name, level, parent_id)
           SELECT now(), now(), 'bench-t' || t, '测试镇' || t, 'township', %s
           FROM generate_series(1, %s) t""",
        [ids["county"], TOWNSHIPS],
    )
    step(
        "villages",
        """INSERT INTO areas_area (created_at, updated_at, code, name, level, parent_id, boundary)
           SELECT now(), now(), 'bench-t' || t || '-v' || lpad(v::text, 2, '0'),
                  '测试镇' || t || '村' || v, 'village', tw.id,
                  jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(
                    jsonb_build_array(
                      jsonb_build_array(106 + v * 0.02, 26 + t * 0.02),
                      jsonb_build_array(106.02 + v * 0.02, 26 + t * 0.02),
                      jsonb_build_array(106.02 + v * 0.02, 26.02 + t * 0.02),
                      jsonb_build_array(106 + v * 0.02, 26 + t * 0.02))))
           FROM generate_series(1, %s) t CROSS JOIN generate_series(1, %s) v
           JOIN areas_area tw ON tw.code = 'bench-t' || t""",
        [TOWNSHIPS, VILLAGES_PER_TOWNSHIP],
    )


def _fill_households(ids: dict[str, int], households: int) -> None:
    step(
        "households",
        """INSERT INTO households_household (
               id, created_at, updated_at, project_id, uuid, code, label, village_id, head_name,
               latitude, longitude, category, house_grade, helper_id, last_visit_at, review_note,
               version, properties, conflict, conflict_note, income_per_capita, member_count,
               list_change, list_head, list_tail)
           SELECT %(base)s + g, now() - interval '2 years', now(), %(project)s,
                  md5('hh' || g)::uuid, 'H' || g, 'H' || g || ' 张' || (g %% 97), v.id,
                  '张' || (g %% 97), 26.01 + (g %% 4) * 0.02, 106.01 + (g %% 25) * 0.02,
                  (ARRAY['registered_poor','exited','monitor_unstable','monitor_marginal','ordinary'])
                    [1 + g %% 5],
                  (ARRAY['A','B','C','D'])[1 + g %% 4], %(worker)s,
                  now() - (g %% 400) * interval '1 day', '', 1,
                  jsonb_build_object('hh_code', 'H' || g, 'head_name', '张' || (g %% 97),
                    'hh_size', (1 + g %% 7)::text, 'income_pc', (3000 + g %% 9000)::text,
                    'house_grade', (ARRAY['A','B','C','D'])[1 + g %% 4],
                    'id_number', '5201021980' || lpad((g %% 100000000)::text, 8, '0')),
                  '', '', 3000 + g %% 9000, 1 + g %% 7, g, '', ''
           FROM generate_series(1, %(count)s) g
           JOIN areas_area v ON v.code = 'bench-t' || (1 + (g - 1) %% %(townships)s) || '-v'
                || lpad((1 + ((g - 1) / %(townships)s) %% %(villages)s)::text, 2, '0')""",
        {
            "base": ids["household_base"],
            "project": ids["project"],
            "worker": ids["worker"],
            "count": households,
            "townships": TOWNSHIPS,
            "villages": VILLAGES_PER_TOWNSHIP,
        },
    )
    step(
        "registration versions",
        """INSERT INTO households_householdversion (
               created_at, updated_at, household_id, version, label, data, received,
               conflict, conflicting_properties, branch_id)
           SELECT created_at, created_at, id, 1, label, properties, properties, '', '[]', ''
           FROM households_household WHERE id > %s""",
        [ids["household_base"]],
    )


# Which household submission g changed: H1 the first LONG_TIMELINE, then round the registry.
HOUSEHOLD_OF = "CASE WHEN g <= %(long)s THEN 1 ELSE 1 + g %% %(households)s END"


def _fill_submissions(ids: dict[str, int], households: int, submissions: int) -> None:
    params = {
        "base": ids["submission_base"],
        "hbase": ids["household_base"],
        "project": ids["project"],
        "worker": ids["worker"],
        "count": submissions,
        "households": households,
        "long": LONG_TIMELINE,
    }
    step(
        "submissions",
        f"""INSERT INTO submissions_submission (
               id, created_at, updated_at, project_id, form_id, form_version_id, instance_id,
               instance_name, device_id, submitted_by_id, is_current, xml, xml_sha256,
               encrypted, complete, started_at, ended_at, fields, processed_at,
               processing_error, entity_error, review_state, risk, processing_attempts,
               village_id)
           SELECT %(base)s + g, ts, ts, %(project)s, f.id, f.current_version_id,
                  'uuid:' || md5('s' || g)::uuid, 'H' || h || ' ' || f.xml_form_id,
                  'collect:bench' || (g %% 50), %(worker)s, g %% 50 <> 1,
                  '<data id="' || f.xml_form_id || '"><village>' || v.code || '</village></data>',
                  md5('x' || g) || md5('y' || g), false, true, ts - interval '20 minutes', ts,
                  jsonb_build_object('village', v.code, 'hh', md5('hh' || h)::text::uuid,
                    'stage', (ARRAY['before','during','after'])[1 + g %% 3],
                    'visit_date', to_char(ts, 'YYYY-MM-DD'),
                    'income_pc', (3000 + g %% 9000)::text,
                    'photo_front', 'photo.jpg'),
                  ts, '', '',
                  CASE WHEN g %% 100 < 15 THEN 'received' WHEN g %% 100 < 18 THEN 'edited'
                       WHEN g %% 100 < 20 THEN 'has_issues' WHEN g %% 100 < 22 THEN 'rejected'
                       ELSE 'approved' END,
                  0, 0, v.id
           FROM (SELECT g, {HOUSEHOLD_OF} AS h,
                        now() - interval '365 days' + g * interval '31 seconds' AS ts
                 FROM generate_series(1, %(count)s) g) s
           JOIN households_household hh ON hh.id = %(hbase)s + s.h
           JOIN areas_area v ON v.id = hh.village_id
           JOIN forms_form f ON f.project_id = %(project)s AND f.xml_form_id =
                CASE WHEN g %% 20 = 0 THEN 'hh_registration'
                     WHEN g %% 20 < 4 OR g <= %(long)s THEN 'housing_inspection'
                     ELSE 'hh_visit' END""",
        params,
    )
    step(
        "visit versions",
        f"""INSERT INTO households_householdversion (
               created_at, updated_at, household_id, version, label, data, received,
               conflict, conflicting_properties, branch_id, submission_id, actor_id)
           SELECT now(), now(), %(hbase)s + h,
                  1 + row_number() OVER (PARTITION BY h ORDER BY g), 'H' || h,
                  jsonb_build_object('hh_code', 'H' || h, 'income_pc', (3000 + g %% 9000)::text,
                    'hh_size', (1 + g %% 7)::text, 'last_visit', g::text),
                  jsonb_build_object('income_pc', (3000 + g %% 9000)::text),
                  '', '[]', '', %(base)s + g, %(worker)s
           FROM (SELECT g, {HOUSEHOLD_OF} AS h FROM generate_series(1, %(count)s) g) s""",
        params,
    )
    step(
        "household versions",
        """UPDATE households_household h SET version = m.version
           FROM (SELECT household_id, max(version) AS version FROM households_householdversion
                 GROUP BY household_id) m
           WHERE m.household_id = h.id AND h.id > %s""",
        [ids["household_base"]],
    )
    step(
        "sequences",
        """SELECT setval(pg_get_serial_sequence('submissions_submission', 'id'),
                         (SELECT max(id) FROM submissions_submission)),
                  setval(pg_get_serial_sequence('households_household', 'id'),
                         (SELECT max(id) FROM households_household))""",
    )


def _fill_flags_and_files(ids: dict[str, int], submissions: int, access_log: int) -> None:
    base, count = ids["submission_base"], submissions
    for code, severity, where in FLAG_RULES:
        step(
            f"flags {code}",
            f"""INSERT INTO flags_flag (
                   created_at, updated_at, project_id, household_id, village_id, submission_id,
                   code, subject, severity, state, evidence, closed_at, note)
                SELECT s.created_at, s.created_at, s.project_id, hv.household_id, s.village_id,
                       s.id, %s,
                       's' || s.id, %s, CASE WHEN (g / 7) %% 3 = 0 THEN 'closed' ELSE 'open' END,
                       '{{"distance_m": 812}}',
                       CASE WHEN (g / 7) %% 3 = 0 THEN s.created_at END, ''
                FROM generate_series(1, %s) g
                JOIN submissions_submission s ON s.id = %s + g
                JOIN households_householdversion hv ON hv.submission_id = s.id
                WHERE {where.replace("%", "%%")}""",
            [code, severity, count, base],
        )
    step(
        "attachments",
        """INSERT INTO submissions_submissionattachment (
               created_at, updated_at, submission_id, name, state, file, sha256, md5, size,
               content_type, image_ok, image_problem)
           SELECT now(), now(), %s + g, 'photo.jpg', 'received',
                  'attachments/' || left(md5('p' || g), 2) || '/' || md5('p' || g),
                  md5('p' || g) || md5('q' || g), md5('p' || g), 180000, 'image/jpeg', true, ''
           FROM generate_series(1, %s) g""",
        [base, count],
    )
    step(
        "access log",
        """INSERT INTO audit_accesslog (
               created_at, kind, object_type, object_id, detail, ip, project_id, user_id)
           SELECT now() - g * interval '90 seconds',
                  CASE WHEN g %% 2 = 0 THEN 'view_submission' ELSE 'view_household' END,
                  CASE WHEN g %% 2 = 0 THEN 'submission' ELSE 'household' END,
                  (g * 7)::text, '', '10.0.0.1', %s, %s
           FROM generate_series(1, %s) g""",
        [ids["project"], ids["admin"], access_log],
    )


def _fill_scores() -> None:
    """The stored risk scores, by the function `manage.py recompute_risk` runs (timed)."""
    from backend.flags.risk import risk_recompute
    from backend.projects.models import Project

    start, cpu = time.perf_counter(), time.process_time()
    changed = risk_recompute(project=Project.objects.get(slug="demo"))
    print(
        f"  risk scores: {changed} submissions, {time.perf_counter() - start:.1f} s "
        f"(CPU of this process {time.process_time() - cpu:.1f} s)",
        flush=True,
    )


def supervisor() -> object:
    """A supervisor of the first township (created once)."""
    from backend.accounts.models import User
    from backend.areas.models import Area
    from backend.projects.models import Membership, Project, Role

    user, _ = User.objects.get_or_create(username=SUPERVISOR, defaults={"full_name": "Bench"})
    membership, _ = Membership.objects.get_or_create(
        project=Project.objects.get(slug="demo"), user=user, defaults={"role": Role.SUPERVISOR}
    )
    membership.areas.set([Area.objects.get(code="bench-t1")])
    return user


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    users: tuple[str, ...] = ("admin", SUPERVISOR)


def pages() -> list[Page]:
    from backend.areas.models import Area
    from backend.households.models import Household
    from backend.submissions.models import Submission

    village = Area.objects.get(code="bench-t1-v02")
    household = Household.objects.get(project__slug="demo", code="H1")
    # The riskiest submission the township supervisor sees: the top of both queues.
    riskiest = (
        Submission.objects.filter(
            project__slug="demo",
            is_current=True,
            household_versions__household__village__parent__code="bench-t1",
        )
        .order_by("-risk", "-created_at", "-id")
        .first()
    )
    review = "/p/demo/review/"
    return [
        Page("queue, first page", review),
        Page("queue, flag photo_duplicate", f"{review}?flag=photo_duplicate"),
        Page("queue, flag impossible_travel", f"{review}?flag=impossible_travel"),
        Page("queue, village", f"{review}?village={village.pk}"),
        Page("queue, state has issues", f"{review}?state=has_issues"),
        Page("queue, all states, last date", f"{review}?state=all&date_from=2000-01-01"),
        Page("queue, deep page 200", f"{review}?page=200"),
        Page("submission page", f"/p/demo/submissions/{riskiest.pk}/"),
        Page("household, long timeline", f"/p/demo/households/{household.uuid}/"),
        Page("households list (admin)", "/admin/households/household/", ("admin",)),
        Page("households list (API)", "/api/v1/projects/demo/households"),
        Page("dashboard", "/p/demo/dashboard/"),
        Page("access log (admin)", "/admin/audit/accesslog/", ("admin",)),
    ]


def measure(client: object, url: str, runs: int) -> dict[str, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm the caches of the database and of this process
    walls, cpus, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        queries = len(captured.captured_queries)
    return {
        "status": response.status_code,
        "ms_median": round(statistics.median(walls), 1),
        "ms_range": [round(min(walls), 1), round(max(walls), 1)],
        "cpu_ms_median": round(statistics.median(cpus), 1),
        "queries": queries,
        "bytes": len(response.content),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="render_bench")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=1_000_000)
    parser.add_argument("--access-log", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refill", action="store_true", help="drop and fill the database again")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--fill-only", action="store_true", help="fill, measure nothing")
    parser.add_argument("--json", help="append results as JSON lines to this file")
    args = parser.parse_args()
    if args.refill:
        for command in (["dropdb", "--if-exists"], ["createdb"]):
            psql(args.database, *command)
    setup_django(args.database)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.test import Client

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)  # a reused database gets this checkout's indexes
    if pending and filled(args.submissions):
        # Backfills rewrote rows: index-only scans need a fresh visibility map, the planner
        # fresh statistics, as a production database gets them from autovacuum.
        print(f"  applied {len(pending)} migration(s); vacuum analyze", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not filled(args.submissions):
        print(f"filling {args.database} (once)", flush=True)
        fill(args.households, args.submissions, args.access_log)
    if args.fill_only:
        return 0
    from backend.accounts.models import User

    users = {"admin": User.objects.get(username="admin"), SUPERVISOR: supervisor()}
    print(f"{'page':<32} {'user':<17} {'median ms':>9} {'range':>15} {'CPU ms':>7} {'queries':>7}")
    for page in pages():
        if args.only and args.only not in page.name:
            continue
        for username in page.users:
            client = Client()
            client.force_login(users[username])
            result = measure(client, page.url, args.runs)
            low, high = result["ms_range"]
            print(
                f"{page.name:<32} {username:<17} {result['ms_median']:>9} "
                f"{f'{low}-{high}':>15} {result['cpu_ms_median']:>7} {result['queries']:>7}"
                + ("" if result["status"] == 200 else f"  HTTP {result['status']}"),
                flush=True,
            )
            if args.json:
                with open(args.json, "a") as f:
                    f.write(json.dumps({"page": page.name, "user": username, **result}) + "\n")
    print(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
