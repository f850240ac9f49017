#!/usr/bin/env python3
"""Time the household list (`households.csv`) that phones download, on PostgreSQL.

    .venv/bin/python bench/household_list.py --households 100000 1000000 --runs 5

For each size it drops and fills the database `hhlist` (or --database) with that many
households spread over the demo villages, each with the entity properties the library forms
save (about 25; the list carries the ones the demo's forms read), stores every household's list
line as the services do (or, with --stale, marks them all stale so that they are rendered on the
fly), then builds the list in-process as the media view does: the version token (the manifest
hash), then the streamed CSV, consumed to the last byte. It reports the median and range over
--runs runs, the bytes, and the growth of the process's peak RSS (flat memory means it does not
grow with the list). The list is built for the demo admin (every household) and for the demo
field worker (the households of one village).
With --http PORT it also downloads the list over HTTP from the production app server, as a
phone does (the first download renders it, the next ones get the list kept for its token).
With --keep a database that already holds that many households is reused (migrated, lines
rendered where stale) and kept: fill once, measure many times.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROPERTIES_SQL = """jsonb_build_object(
    'village', v.codes[1 + g %% 3], 'hh_code', 'HH' || g, 'head_name', '张' || (g %% 97),
    'category',
    (ARRAY['poor', 'exited', 'monitor_unstable', 'monitor_marginal', 'ordinary'])[1 + g %% 5],
    'dibao', (ARRAY['yes','no'])[1 + g %% 2], 'extreme_poor', 'no', 'hh_size', (1 + g %% 7)::text,
    'n_school_age', (g %% 3)::text, 'has_serious_illness', 'no', 'has_chronic_illness', 'yes',
    'has_disabled', 'no', 'has_elderly', 'yes', 'income_year', '2025',
    'income_pc', (3000 + g %% 9000)::text, 'food_clothing_status', 'ok', 'edu_status', 'ok',
    'med_status', 'ok', 'house_grade', (ARRAY['A','B','C','D'])[1 + g %% 4],
    'housing_status', 'ok', 'geometry', '26.5' || (g %% 1000) || ' 106.7' || (g %% 997) || ' 900 5',
    'water_status', 'ok', 'last_visit', '2026-08-12', 'last_outcome', 'no_change',
    'reno_status', '', 'note', '户主外出务工，妻子在家，' || g)"""


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("SECRET_KEY", "bench-household-list")
    import django

    django.setup()


def recreate(database: str) -> None:
    for command in (["dropdb", "--if-exists", database], ["createdb", database]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres"], check=True)


def holds(database: str, count: int) -> bool:
    """Whether the database exists and holds exactly `count` households (a fill to reuse)."""
    query = "SELECT count(*) FROM households_household WHERE code ~ '^B[0-9]+$'"
    found = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", query],
        capture_output=True,
        text=True,
    )
    return found.returncode == 0 and found.stdout.strip() == str(count)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare_lines(*, stale: bool) -> None:
    """Store every household's line (as the services do), or mark them all stale."""
    from django.db import connection

    from backend.households.lines import household_lines_refresh
    from backend.projects.models import Project

    project = Project.objects.get(slug="demo")
    started = time.perf_counter()
    if stale:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE households_household SET list_layout = NULL")
        print("  every line marked stale: rendered on the fly", flush=True)
    else:
        # Large batches: the bench renders a whole fill at once (the services render one line).
        rendered = household_lines_refresh(project.pk, batch=100_000)
        print(f"  {rendered} lines rendered in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE households_household")


def fill(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM projects_project WHERE slug = 'demo'")
        (project_id,) = cursor.fetchone()
        cursor.execute("SELECT id FROM areas_area WHERE code = 'demo-v01'")
        (v01,) = cursor.fetchone()
        cursor.execute(
            f"""
            WITH v AS (
                SELECT array_agg(id ORDER BY code) AS ids, array_agg(code ORDER BY code) AS codes
                FROM areas_area WHERE level = 'village' AND code LIKE 'demo-v0%%')
            INSERT INTO households_household (
                created_at, updated_at, project_id, uuid, code, label, village_id, head_name,
                category, house_grade, review_note, version, properties, conflict, conflict_note,
                list_head, list_tail, list_change, case_note, campaign)
            SELECT now(), now(), %s, md5(g::text || random()::text)::uuid, 'B' || g,
                   'B' || g || ' 张' || (g %% 97), v.ids[1 + g %% 3], '张' || (g %% 97),
                   'ordinary', '',
                   CASE WHEN g %% 50 = 0 THEN '请补充收入材料' ELSE '' END, 1 + g %% 4,
                   {PROPERTIES_SQL}, '', '', '', '', g, '', ''
            FROM generate_series(1, %s) AS g, v
            """,
            [project_id, count],
        )
        cursor.execute("ANALYZE households_household")
    from backend.projects.models import Membership

    # The field worker is assigned one of the three villages: a third of the households.
    Membership.objects.get(project_id=project_id, user__username="worker").areas.set([v01])
    print(f"  {count} households", flush=True)


def build(username: str) -> tuple[float, float, int]:
    """Seconds for the token, seconds for the whole CSV, and its bytes."""
    from backend.accounts.models import User
    from backend.households.lists import (
        household_list_rows,
        household_list_token,
        households_for_phone,
    )
    from backend.projects.models import Project

    project = Project.objects.get(slug="demo")
    actor = User.objects.get(username=username)
    t0 = time.perf_counter()
    households = households_for_phone(project=project, actor=actor)
    household_list_token(project, households)
    t1 = time.perf_counter()
    size = sum(len(chunk) for chunk in household_list_rows(project, households))
    return t1 - t0, time.perf_counter() - t1, size


def over_http(username: str, runs: int, port: int) -> dict[str, float]:
    """The list as a phone gets it: the app server of production (docker/serve.py) on this
    database, formList -> manifest -> households.csv with the person's device token, timed
    from the request to the last byte. The first download renders the list (and keeps it for
    its token, backend/households/list_cache.py); the next ones send what was kept."""
    import tempfile
    import urllib.request

    from backend.accounts.models import User
    from backend.accounts.services import device_token_issue
    from backend.projects.models import Project

    project = Project.objects.get(slug="demo")
    _, secret = device_token_issue(user=User.objects.get(username=username), project=project)
    base = f"http://127.0.0.1:{port}/key/{secret}/projects/demo"
    data = tempfile.mkdtemp(prefix="hhlist-http-")
    env = {
        **os.environ,
        "DATA_DIR": data,
        "APP_BIND": f"127.0.0.1:{port}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "*",
        "APP_LOG_LEVEL": "warning",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen([sys.executable, str(ROOT / "docker/serve.py")], env=env)

    def get(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"X-OpenRosa-Version": "1.0"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.read()

    try:
        listing = ""
        for _ in range(600):  # a busy machine takes a while to start the server
            try:
                listing = get(f"{base}/formList").decode()
                break
            except OSError:
                time.sleep(0.2)
        entry = re.search(
            r"<formID>hh_visit</formID>.*?<manifestUrl>(.*?)</manifestUrl>", listing, re.S
        )
        if entry is None:
            raise SystemExit(f"no hh_visit manifest in the form list: {listing[:200]}")
        media = re.search(
            r"<downloadUrl>([^<]*households\.csv)</downloadUrl>", get(entry.group(1)).decode()
        )
        if media is None:
            raise SystemExit("the hh_visit manifest lists no households.csv")
        csv_url = media.group(1)
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            get(csv_url)
            times.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(60)
        shutil.rmtree(data, ignore_errors=True)
    return {"rendered_s": times[0], "kept_s_median": statistics.median(times[1:])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="hhlist")
    parser.add_argument("--json", help="append results as JSON lines to this file")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the database when it already holds that many households, and keep it",
    )
    parser.add_argument(
        "--stale",
        action="store_true",
        help="mark every stored line stale first, to time the lists rendered on the fly",
    )
    parser.add_argument(
        "--http",
        type=int,
        metavar="PORT",
        help="also time the list over HTTP from the app server on this port (first download, "
        "then the median of --runs more)",
    )
    args = parser.parse_args()
    setup_django(args.database)
    from django.db import connection

    for count in args.households:
        connection.close()
        if args.keep and holds(args.database, count):
            migrate()
        else:
            recreate(args.database)
            started = time.perf_counter()
            fill(count)
            print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
        prepare_lines(stale=args.stale)
        for username in ("admin", "worker"):
            build(username)  # warm the caches of the database and of this process
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            runs = [build(username) for _ in range(args.runs)]
            growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
            token = [r[0] for r in runs]
            total = [r[0] + r[1] for r in runs]
            result = {
                "households": count,
                "actor": username,
                "lines": "stale" if args.stale else "stored",
                "bytes": runs[0][2],
                "token_s_median": statistics.median(token),
                "total_s_median": statistics.median(total),
                "total_s_range": [min(total), max(total)],
                "peak_rss_growth_mib": round(growth, 1),
                "runs": args.runs,
            }
            print(
                f"{count:>9} households, {username:<7} {result['lines']:<6} "
                f"{runs[0][2] / 1e6:7.1f} MB  "
                f"token {result['token_s_median']:.3f} s  list {result['total_s_median']:.3f} s "
                f"({min(total):.3f}-{max(total):.3f})  peak RSS growth {growth:+.1f} MiB",
                flush=True,
            )
            if args.http:
                result.update(over_http(username, args.runs, args.http))
                print(
                    f"{'':>9} over HTTP: first {result['rendered_s']:.3f} s, then "
                    f"{result['kept_s_median']:.3f} s (median of {args.runs})",
                    flush=True,
                )
            if args.json:
                with open(args.json, "a") as f:
                    f.write(json.dumps(result) + "\n")
    connection.close()
    if not args.keep:
        recreate(args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
