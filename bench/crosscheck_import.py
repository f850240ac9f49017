#!/usr/bin/env python3
"""Time a department's file read against a large registry, on PostgreSQL.

    .venv/bin/python bench/crosscheck_import.py --households 500000 --rows 1000000 --runs 3

It fills the database `bench_crosscheck` (or --database) with --households households over the
demo villages (bench/household_list.py's fill) and four members each, their ID numbers stored
as the keyed hashes the registrations write (COPY, streamed), then writes a health-insurance
file of --rows rows (CSV, streamed to a temporary file): one row in --match-every names a
member of a household (a tenth of those uninsured, a twentieth with out-of-pocket costs above
the limit), the others people who are not in the registry, and one in 10,000 has a wrong check
digit. Each run copies the filled database (CREATE DATABASE … TEMPLATE) and reads the file in a
fresh process, as the background task does: read + match + facts, then the rules and the cases
on the households it changed (backend/pipeline/departments.py). It reports each phase's
seconds, the median over the runs, and the process's peak RSS. The databases are dropped at the
end unless --keep; with --keep, a database that already holds that many households is reused.
With --reference DIR, each run is followed by one of the code in DIR (another checkout, e.g.
main's) on a copy of the same database: the machine is shared, so the ratio of the two medians
says more than either time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from household_list import holds, recreate, setup_django  # noqa: E402

MEMBERS_PER_HOUSEHOLD = 4
# What the households' last visits recorded: nothing a rule flags, so that the flags the file
# raises are the departments' own (a registry evaluated before, as a real one is).
PROPERTIES_SQL = """jsonb_build_object(
    'village', v.codes[1 + g %% 3], 'hh_code', 'HH' || g, 'head_name', '张' || (g %% 97),
    'dibao', 'no', 'extreme_poor', 'no', 'hh_size', '4', 'n_school_age', '0',
    'has_serious_illness', 'no', 'has_chronic_illness', 'no', 'has_disabled', 'no',
    'has_elderly', 'no', 'income_year', '2026', 'income_pc', (20000 + g %% 9000)::text,
    'spend_medical', '0', 'spend_education', '0', 'food_clothing_status', 'ok',
    'edu_status', 'ok', 'med_status', 'ok', 'house_grade', 'A', 'housing_status', 'ok',
    'water_status', 'ok', 'last_visit', '2026-10-12', 'last_outcome', 'no_change')"""
HEADER = ["序号", "姓名", "身份证号", "参保状态", "自付费用"]
_BIRTH0 = date(1950, 1, 1)


def id_number(region: str, n: int) -> str:
    """A valid 18-character ID number, distinct for each n (1,000 per day of birth)."""
    from backend.crosscheck.idnumbers import check_digit

    born = _BIRTH0 + timedelta(days=n // 1000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def member_number(n: int) -> str:
    return id_number("520101", n)


def stranger_number(n: int) -> str:
    return id_number("530102", n)


def fill_households(count: int) -> None:
    """The demo project, then `count` households over its three villages (one INSERT … SELECT):
    a mix of ordinary households, households lifted out of poverty and monitoring objects."""
    import contextlib
    import io

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM projects_project WHERE slug = 'demo'")
        (project_id,) = cursor.fetchone()
        cursor.execute(
            f"""
            WITH v AS (
                SELECT array_agg(id ORDER BY code) AS ids, array_agg(code ORDER BY code) AS codes
                FROM areas_area WHERE level = 'village' AND code LIKE 'demo-v0%%')
            INSERT INTO households_household (
                created_at, updated_at, project_id, uuid, code, label, village_id, head_name,
                category, house_grade, review_note, version, properties, conflict, conflict_note,
                list_head, list_tail, list_change, case_note, member_count, income_year,
                income_per_capita, campaign)
            SELECT now(), now(), %s, md5(g::text || random()::text)::uuid, 'B' || g,
                   'B' || g || ' 张' || (g %% 97), v.ids[1 + g %% 3], '张' || (g %% 97),
                   (ARRAY['ordinary', 'exited', 'monitor_unstable', 'ordinary',
                          'monitor_marginal'])[1 + g %% 5],
                   'A', '', 1, {PROPERTIES_SQL}, '', '', '', '', g, '', 4, 2026,
                   20000 + g %% 9000, ''
            FROM generate_series(1, %s) AS g, v
            """,
            [project_id, count],
        )
    from backend.households.lines import household_lines_refresh

    # The phones' list lines, stored as the services store them: a registry in use has them.
    household_lines_refresh(project_id, batch=100_000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE households_household")
    print(f"  {count} households", flush=True)


def fill_members(households: int) -> None:
    """Four members a household, COPYed as a stream: the hash of each ID number as stored."""
    from django.db import connection

    from backend.crosscheck.keys import id_hash, id_secret

    secret = id_secret()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM households_household")
        first, last = cursor.fetchone()
        sql = (
            "COPY crosscheck_member (household_id, position, name, relation, birth, id_hash, "
            "status) FROM STDIN"
        )
        with cursor.cursor.copy(sql) as copy:
            for household_id in range(first, last + 1):
                base = (household_id - first) * MEMBERS_PER_HOUSEHOLD
                for position in range(1, MEMBERS_PER_HOUSEHOLD + 1):
                    n = base + position - 1
                    copy.write_row(
                        (
                            household_id,
                            position,
                            f"成员{n}",
                            "head" if position == 1 else "child",
                            _BIRTH0 + timedelta(days=n // 1000),
                            id_hash(member_number(n), secret),
                            "present",
                        )
                    )
        cursor.execute("ANALYZE crosscheck_member")
        cursor.execute("SELECT count(*) FROM crosscheck_member")
        (count,) = cursor.fetchone()
    print(f"  {count} members in {time.perf_counter() - started:.0f} s", flush=True)


def department_rows(rows: int, members: int, match_every: int) -> Iterator[list[str]]:
    for i in range(1, rows + 1):
        if i % match_every == 0:
            n = (i // match_every * 7919) % members  # spread over the registry
            number = member_number(n)
            k = i // match_every
            insured = "未参保" if k % 10 == 0 else "已参保"
            costs = "25000" if k % 20 == 0 else str(k % 5000)
        else:
            number = stranger_number(i)
            insured, costs = "已参保", str(i % 3000)
        if i % 10_000 == 5:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # a wrong check digit
        yield [str(i), f"居民{i}", number, insured, costs]


def write_file(path: Path, rows: int, members: int, match_every: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(department_rows(rows, members, match_every))
    print(f"  {rows} rows, {path.stat().st_size / 1e6:.0f} MB", flush=True)


def prepare_template() -> None:
    from backend.crosscheck.models import DepartmentTemplate
    from backend.projects.models import Project

    DepartmentTemplate.objects.get_or_create(
        project=Project.objects.get(slug="demo"),
        name="医保参保",
        defaults={
            "department": "health",
            "id_column": "身份证号",
            "columns": {"insured": "参保状态", "out_of_pocket": "自付费用"},
        },
    )


def probe() -> float:
    """Seconds of a fixed loop of Python work that no code of the project changes: on a shared
    machine it shows how much of the CPU the run had."""
    started = time.perf_counter()
    total = 0
    for n in range(2_000_000):
        total += (n * 7919) % 11
    return time.perf_counter() - started


def measure(path: Path) -> dict[str, float]:
    """One read of the file as the background task reads it (this process is fresh)."""
    from backend.accounts.models import User
    from backend.crosscheck.imports import department_import_read, department_import_start
    from backend.crosscheck.models import DepartmentTemplate
    from backend.pipeline.departments import department_households_check
    from backend.projects.models import Project

    probe_s = probe()
    project = Project.objects.get(slug="demo")
    record = department_import_start(
        project=project,
        template=DepartmentTemplate.objects.get(project=project, name="医保参保"),
        file_name=path.name,
        data_date=date(2026, 11, 30),
        actor=User.objects.get(username="admin"),
    )
    t0 = time.perf_counter()
    with path.open("rb") as stream:
        department_import_read(record, stream)
    t1 = time.perf_counter()
    department_households_check(record)
    t2 = time.perf_counter()
    record.refresh_from_db()
    return {
        "read_s": t1 - t0,
        "check_s": t2 - t1,
        "total_s": t2 - t0,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "probe_s": probe_s,
        "rows": record.rows,
        "matched_rows": record.matched_rows,
        "matched_households": record.matched_households,
        "bad_rows": record.bad_rows,
        "flags_opened": record.flags_opened,
        "cases_opened": record.cases_opened,
    }


def one_run(source: str, path: Path, code: Path = ROOT) -> dict[str, float]:
    """Copy the filled database and read the file in a fresh process against the copy, with
    the code of the checkout `code`."""
    copy = f"{source}_run"
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", copy], check=True)
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", source, copy], check=True
    )
    script = code / "bench" / "crosscheck_import.py"
    try:
        found = subprocess.run(
            [sys.executable, str(script), "--measure", str(path), "--database", copy],
            check=True,
            capture_output=True,
            text=True,
            cwd=code,
            env={**os.environ, "PYTHONPATH": str(code)},
        )
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", copy], check=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        name: round(statistics.median(run[name] for run in runs), 2)
        for name in ("read_s", "check_s", "total_s", "peak_rss_mib")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=500_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--match-every", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="bench_crosscheck")
    parser.add_argument("--keep", action="store_true", help="keep (or reuse) the filled database")
    parser.add_argument("--reference", type=Path, help="a checkout to time on the same data")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django(args.database)
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0

    from django.db import connection

    if not (args.keep and holds(args.database, args.households)):
        started = time.perf_counter()
        recreate(args.database)
        fill_households(args.households)
        fill_members(args.households)
        prepare_template()
        print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    connection.close()
    runs, references = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "health.csv"
        write_file(path, args.rows, args.households * MEMBERS_PER_HOUSEHOLD, args.match_every)
        for number in range(1, args.runs + 1):
            runs.append(one_run(args.database, path))
            print(f"  run {number}: {json.dumps(runs[-1])}", flush=True)
            if args.reference:
                references.append(one_run(args.database, path, args.reference.resolve()))
                print(f"  reference {number}: {json.dumps(references[-1])}", flush=True)
    summary = _medians(runs)
    print(f"median of {len(runs)}: {json.dumps(summary)}", flush=True)
    if references:
        reference = _medians(references)
        print(f"reference median: {json.dumps(reference)}", flush=True)
        ratio = summary["total_s"] / reference["total_s"]
        print(f"total against the reference: {ratio:.2f}", flush=True)
    if not args.keep:
        subprocess.run(
            ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", args.database],
            check=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
