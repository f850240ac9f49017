#!/usr/bin/env python3
"""Export benchmark: a PostgreSQL database with a million submissions of the library visit form,
then the form's CSV export (all of them) and XLSX export (the first 100,000), each timed with
its peak resident memory, median of --runs runs, every run in a fresh process.

  .venv/bin/python bench/exports_bench.py                 # fill (if needed) and measure
  .venv/bin/python bench/exports_bench.py --rows 100000   # a quicker check
  .venv/bin/python bench/exports_bench.py --drop          # drop the database afterwards

The database (--db, default exports_bench) is created on the local server; --refill drops and
fills it again. Rows go in with COPY: realistic `fields` JSON and XML built from the form's own
questions (random answers, 0-3 children in the repeat), as post-processing would have stored them.
Each measured run is `bench/exports_bench.py run KIND`: it builds one export through the real
task code (`backend.exports.build.export_build`) and prints the wall time and VmHWM (peak RSS)
of its own process, so the filling does not count in the memory figure.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
XLSX_ROWS = 100_000
POOL = 5000  # distinct visits; rows repeat them with their own instance IDs
FIRST_DAY = datetime(2024, 1, 1, tzinfo=UTC)
# The shipped visit form's version, read from its settings sheet so it follows the form.
FORM_VERSION = re.search(
    r"\| hh_visit \| (\d+) \|", (ROOT / "forms/library/hh_visit.md").read_text("utf-8")
).group(1)  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", default="all", choices=["all", "fill", "run"])
    parser.add_argument("kind", nargs="?", default="form_csv")
    parser.add_argument("--db", default="exports_bench")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument(
        "--until",
        default="",
        help="run: only submissions received up to this date (2024-01-31: the first 100,000)",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("FORMS_ODK_VALIDATE", "off")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DATA_DIR", str(Path(tempfile.gettempdir()) / f"{args.db}-data"))
    if args.mode == "run":
        print(json.dumps(run_once(args.kind, args.until)))
        return
    fill(args)
    if args.mode == "fill":
        return
    results = {kind: measure(kind, args) for kind in ("form_csv", "form_xlsx")}
    print(json.dumps({"rows": args.rows, "results": results}, indent=2))
    if args.drop:
        _admin(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(sql)


def fill(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [args.db]).fetchone()
    if exists and not args.refill:
        print(f"using the existing database {args.db}", file=sys.stderr)
        return
    _admin(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{args.db}"')
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    ids = _project()
    _copy_submissions(args.rows, ids)
    print(f"filled {args.rows} submissions in {time.monotonic() - started:.0f} s", file=sys.stderr)


def _project() -> dict[str, int]:
    from backend.accounts.models import User
    from backend.projects.models import Membership, Project, Role
    from forms.library import LIBRARY_DIR
    from forms.services import Upload, form_publish

    project = Project.objects.create(slug="bench", name="Export benchmark")
    admin = User.objects.create_user("bench-admin", password="bench-admin-password")
    Membership.objects.create(project=project, user=admin, role=Role.ADMIN)
    workers = [User.objects.create_user(f"worker{i}", password=None) for i in range(20)]
    path = LIBRARY_DIR / "hh_visit.md"
    version = form_publish(
        project=project, source=Upload(path.name, path.read_bytes()), published_by=admin
    ).version
    return {
        "project": project.pk,
        "form": version.form_id,
        "version": version.pk,
        "workers": [w.pk for w in workers],
        "xform": version.xform,
    }


def _copy_submissions(rows: int, ids: dict) -> None:
    """COPY a pool of distinct visits into a scratch table, then let PostgreSQL multiply them
    with fresh instance IDs (the XML carries its own): a million rows in a few minutes."""
    from django.db import connection

    from forms.questions import read_questions

    questions = read_questions(ids["xform"].encode())
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE pool (n int, fields jsonb, xml text)")
        with cursor.cursor.copy("COPY pool (n, fields, xml) FROM STDIN") as copy:
            for n in range(POOL):
                fields = _answers(questions, rng, FIRST_DAY + timedelta(minutes=n))
                copy.write_row((n, json.dumps(fields, ensure_ascii=False), _xml(fields, "__KEY__")))
        # The first XLSX_ROWS submissions arrive in January 2024, the rest later: the XLSX run
        # selects them with a date range, as a county office would.
        cursor.execute(
            f"""
            INSERT INTO submissions_submission (
                created_at, updated_at, project_id, form_id, form_version_id, instance_id,
                instance_name, device_id, submitted_by_id, is_current, xml, xml_sha256, encrypted,
                complete, started_at, ended_at, fields, processed_at, processing_error,
                entity_error, review_state)
            SELECT t, t, %(project)s, %(form)s, %(version)s, k, 'visit ' || g, 'collect:BENCH',
                   (%(workers)s::bigint[])[1 + g %% 20], true, replace(p.xml, '__KEY__', k),
                   md5(k) || md5(k), false, true, t, t, p.fields, t, '', '',
                   (ARRAY['received', 'received', 'approved', 'has_issues'])[1 + g %% 4]
            FROM generate_series(0, %(rows)s - 1) AS g
            CROSS JOIN LATERAL (SELECT
                'uuid:' || gen_random_uuid() AS k,
                CASE WHEN g < {XLSX_ROWS}
                     THEN timestamptz '{FIRST_DAY.isoformat()}' + g * interval '26 seconds'
                     ELSE timestamptz '{FIRST_DAY.isoformat()}' + interval '40 days'
                          + g * interval '1 second' END AS t) AS x
            JOIN pool AS p ON p.n = g %% {POOL}
            """,
            {**ids, "rows": rows},
        )
        cursor.execute("ANALYZE submissions_submission")


_WORDS = ["正常", "外出务工", "因病", "危房改造", "已落实", "需跟进", "无", "良好", "其他情况说明"]


def _answers(questions: Any, rng: random.Random, created: datetime) -> dict:
    """Answers to every question, typed as post-processing stores them."""
    root: dict = {}
    for question in questions.in_container(""):
        key = question.key(questions.root)
        if question.kind == "repeat":
            children = questions.in_container(question.path)
            root[key] = [
                {c.key(questions.root): _answer(c, rng, created) for c in children}
                for _ in range(rng.choice([0, 0, 1, 2, 3]))
            ]
        else:
            root[key] = _answer(question, rng, created)
    return root


def _answer(question: Any, rng: random.Random, created: datetime) -> Any:
    kind = question.kind
    if rng.random() < 0.08 and kind not in {"dateTime", "date"}:
        return None  # not relevant on this visit
    if kind == "select_one" and question.choices:
        return rng.choice(question.choices).value
    if kind == "select_one":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if kind == "select_multiple":
        picks = rng.sample(question.choices, k=min(len(question.choices), rng.randint(1, 2)))
        return " ".join(c.value for c in picks)
    if kind == "int":
        return rng.randint(0, 12)
    if kind == "decimal":
        return round(rng.uniform(0, 30000), 1)
    if kind == "geopoint":
        return f"{26 + rng.random():.6f} {106 + rng.random():.6f} {rng.randint(800, 1400)} 5.0"
    if kind in {"image", "binary"}:
        return f"{rng.getrandbits(40)}.jpg"
    if kind == "dateTime":
        return created.isoformat(timespec="milliseconds")
    if kind == "date":
        return created.date().isoformat()
    return rng.choice(_WORDS)


def _xml(fields: dict, key: str) -> str:
    """The instance XML of these answers (groups nested as the form nests them)."""
    parts = [f'<data id="hh_visit" version="{FORM_VERSION}">']
    _xml_container(fields, parts)
    parts.append(f"<meta><instanceID>{key}</instanceID></meta></data>")
    return "".join(parts)


def _xml_container(fields: dict, parts: list[str]) -> None:
    open_groups: list[str] = []
    for key, value in fields.items():
        *groups, name = key.split("/")
        while open_groups and open_groups != groups[: len(open_groups)]:
            parts.append(f"</{open_groups.pop()}>")
        for group in groups[len(open_groups) :]:
            parts.append(f"<{group}>")
            open_groups.append(group)
        if isinstance(value, list):
            for entry in value:
                parts.append(f"<{name}>")
                _xml_container(entry, parts)
                parts.append(f"</{name}>")
        else:
            parts.append(f"<{name}>{'' if value is None else value}</{name}>")
    while open_groups:
        parts.append(f"</{open_groups.pop()}>")


def measure(kind: str, args: argparse.Namespace) -> dict:
    runs = []
    for _ in range(args.runs):
        load_before = Path("/proc/loadavg").read_text().split()[0]
        output = subprocess.run(
            [sys.executable, __file__, "run", kind, "--db", args.db],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["load_before"] = float(load_before)
        result["load_after"] = float(Path("/proc/loadavg").read_text().split()[0])
        print(json.dumps({kind: result}), file=sys.stderr)
        runs.append(result)
    return {
        "median_seconds": statistics.median(r["seconds"] for r in runs),
        "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
        "runs": runs,
    }


def run_once(kind: str, until: str = "") -> dict:
    """Build one export in this process; report rows, seconds, file size and peak RSS."""
    _setup_django()
    from django.core.files.storage import default_storage

    from backend.accounts.models import User
    from backend.exports.build import export_build
    from backend.exports.models import Export, ExportState
    from backend.exports.params import ExportParams
    from backend.projects.models import Project

    if kind == "form_xlsx":
        until = until or "2024-01-31"
    params = ExportParams(form="hh_visit", locale="en", until=until)
    export = Export.objects.create(
        project=Project.objects.get(slug="bench"),
        kind=kind,
        parameters=params.as_json(),
        requested_by=User.objects.get(username="bench-admin"),
    )
    cpu, started = time.process_time(), time.monotonic()
    export_build(export_id=export.pk)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    export.refresh_from_db()
    if export.state != ExportState.DONE:
        raise SystemExit(f"export failed: {export.error}")
    default_storage.delete(export.file.name)  # three runs of a large file would fill the disk
    return {
        "kind": kind,
        "rows": export.row_count,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "size_mb": round((export.size or 0) / 1e6, 1),
        "peak_rss_mb": round(_vm_hwm_kb() / 1024, 1),
    }


def _vm_hwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
