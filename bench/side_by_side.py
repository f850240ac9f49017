#!/usr/bin/env python3
"""The project against the machine's ingest ceiling, measured alternately in one run with one
load generator (bench/openrosa_load.py, Collect-like: HEAD + POST, keep-alive).

Each round starts the thin ceiling (bench/ceiling.py), measures its rows and stops it, then starts
the project in its production topology (docker/serve.py: granian, two processes of four threads;
the task workers as docker/compose.yaml runs them: two merge workers, and an evidence worker under
SCHED_IDLE (--merge-workers, --checks-queues change them); Redis as the
cache; PostgreSQL), measures every row and stops it. Every second round runs VACUUM ANALYZE on
the project's database first. After each submission row the project's queues are drained (the
merge lag is recorded). At the end: each row's median over the rounds and its ratio to C, the
ceiling's POST-only rate at c=8, and to the ceiling's same row.

    .venv/bin/python bench/side_by_side.py [--rounds 3] [--duration 10] [--lag]

--lag adds the merge-lag row: HEAD + POST at half the project's HEAD + POST median for 60 s, then
the lag p99 (bench/processing_lag.py). Results: bench/results/side-<time>/results.jsonl.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
POST = ["submit", "--no-head"]
# (row, load generator arguments, measured on the ceiling too)
ROWS = [
    ("POST only", [*POST, "-c", "8"], True),
    ("HEAD + POST", ["submit", "-c", "8"], True),
    ("2 x 1 MB photos", ["submit", "-c", "8", "--photos", "2", "--distinct-photos"], True),
    ("form list", ["formlist", "-c", "8"], False),
    ("form download", ["formxml", "-c", "8"], False),
    ("manifest", ["manifest", "-c", "8"], False),
    ("POST c=1", [*POST, "-c", "1"], True),
    ("POST c=32", [*POST, "-c", "32"], True),
]


# The workload: a visit that names its household without updating it (no household
# merge), so one registered household is enough; the task workers still run every visit's
# post-processing (fields, rules, evidence checks) during the rows.
VISITS = ["--households", "1", "--no-entity-update"]


class Servers:
    def __init__(self, args: argparse.Namespace, out: Path) -> None:
        self.args, self.out = args, out
        self.data = Path(tempfile.mkdtemp(prefix="side-by-side-"))
        self.project_db, self.ceiling_db = f"{args.prefix}_project", f"{args.prefix}_ceiling"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.project_db}",
            "DEBUG": "0",
            "SECRET_KEY": "side-by-side-" + os.urandom(12).hex(),
            "ALLOWED_HOSTS": "*",
            "SITE_URL": f"http://127.0.0.1:{args.port}",
            "DATABASE_CONN_MAX_AGE": "600",
            "FORMS_ODK_VALIDATE": "off",
            "DATA_DIR": str(self.data),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CACHE_BACKEND": "backend.core.redis_cache.RedisCache",
            "CACHE_LOCATION": args.redis,
            "APP_BIND": f"127.0.0.1:{args.port}",
            "APP_WORKERS": "2",
            "APP_THREADS": "4",
            "APP_LOG_LEVEL": "warning",
        }
        self.processes: list[subprocess.Popen] = []
        self.task_pids: list[int] = []

    def prepare(self) -> str:
        """Fresh databases, the demo project; the worker's Collect URL."""
        for db in (self.project_db, self.ceiling_db):
            subprocess.run(["dropdb", *PG, "--if-exists", db], check=True)
            subprocess.run(["createdb", *PG, db], check=True)
        subprocess.run(["redis-cli", "-u", self.args.redis, "flushdb"], check=True, stdout=-3)
        manage = [PY, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=self.env, check=True)
        subprocess.run([*manage, "demo"], env=self.env, check=True, stdout=-3)
        qr = subprocess.run(
            [*manage, "device_qr", "--user", "worker", "--project", "demo"],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return next(
            line.split(": ", 1)[1] for line in qr.splitlines() if "server URL:" in line
        ).strip()

    def start_project(self) -> int:
        log = open(self.out / "project.log", "a")  # noqa: SIM115  closed with the process
        server = subprocess.Popen([PY, "docker/serve.py"], env=self.env, stdout=log, stderr=log)
        manage = [PY, "manage.py", "db_worker", "--interval", "0.1", "--queue-name"]
        niced = ["nice", "-n", str(self.args.merge_nice)] if self.args.merge_nice else []
        merges = [
            subprocess.Popen([*niced, *manage, "default"], env=self.env, stdout=log, stderr=log)
            for _ in range(self.args.merge_workers)
        ]
        checks = subprocess.Popen(
            ["chrt", "--idle", "0", *manage, self.args.checks_queues],
            env=self.env,
            stdout=log,
            stderr=log,
        )
        self.processes = [server, *merges, checks]
        self.task_pids = [*(merge.pid for merge in merges), checks.pid]
        return server.pid

    def start_ceiling(self) -> int:
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.ceiling_db}",
            "CEILING_DIR": str(self.data / "ceiling"),
        }
        log = open(self.out / "ceiling.log", "a")  # noqa: SIM115  closed with the process
        address = f"127.0.0.1:{self.args.ceiling_port}"
        server = subprocess.Popen(
            [PY, "bench/ceiling.py", address], env=env, stdout=log, stderr=log
        )
        self.processes = [server]
        return server.pid

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes, self.task_pids = [], []


def wait_up(url: str) -> None:
    for _ in range(300):
        if (
            subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-I", f"{url}/submission"], check=False
            ).returncode
            == 0
        ):
            return
        time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def load(url: str, row: str, extra: list[str], servers: "Servers", out: Path, args) -> dict:  # noqa: ANN001
    results = out / "results.jsonl"
    before = results.read_text().count("\n") if results.exists() else 0
    pid = servers.processes[0].pid
    tasks = ["--task-pids", ",".join(map(str, servers.task_pids))] if servers.task_pids else []
    command = [
        PY, "bench/openrosa_load.py", url, *extra, "-d", str(args.duration),
        "--warmup", str(args.warmup), "--server-pid", str(pid), "--json", str(results),
        "--label", row, *tasks,
    ]  # fmt: skip
    subprocess.run(command, check=False)
    lines = results.read_text().splitlines()
    return json.loads(lines[-1]) if len(lines) > before else {"throughput": 0, "failures": 1}


def drain(server: Servers, since: str, label: str, out: Path) -> None:
    subprocess.run(
        [PY, "bench/processing_lag.py", "--since", since, "--json", str(out / "lag.jsonl"),
         "--label", label, "--drain-timeout", str(server.args.drain_timeout)],
        env=server.env,
        check=False,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--lag", action="store_true")
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=60,
        help="seconds to wait for the queues after a submission row (the evidence worker runs "
        "only on idle CPU: on a machine others keep busy it may not drain at all)",
    )
    parser.add_argument(
        "--merge-workers",
        type=int,
        default=2,
        help="merge workers (docker/compose.yaml's `worker` replicas)",
    )
    parser.add_argument(
        "--checks-queues",
        default="evidence",
        help="the queues of the evidence worker (docker/compose.yaml's `evidence-worker`)",
    )
    parser.add_argument(
        "--merge-nice",
        type=int,
        default=0,
        help="the merge worker's niceness (docker/compose.yaml runs it as the app: 0)",
    )
    parser.add_argument(
        "--only", action="append", default=[], help="measure this row only (repeatable)"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--ceiling-port", type=int, default=8766)
    parser.add_argument("--prefix", default="side")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()
    os.chdir(ROOT)
    out = ROOT / "bench/results" / f"side-{datetime.now(UTC):%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    servers = Servers(args, out)
    project_url = servers.prepare()
    ceiling_url = f"http://127.0.0.1:{args.ceiling_port}/key/ceiling/projects/demo"
    figures: dict[tuple[str, str], list[dict]] = {}
    rows = [r for r in ROWS if not args.only or r[0] in args.only]
    try:
        for round_ in range(1, args.rounds + 1):
            servers.start_ceiling()
            wait_up(ceiling_url)
            for row, extra, on_ceiling in rows:
                if on_ceiling:
                    result = load(
                        ceiling_url,
                        f"ceiling {row}",
                        [*extra, *VISITS, "--no-list"],
                        servers,
                        out,
                        args,
                    )
                    figures.setdefault(("ceiling", row), []).append(result)
            servers.stop()
            if round_ % 2 == 0:
                subprocess.run(
                    ["psql", *PG, servers.project_db, "-qc", "VACUUM ANALYZE"], check=True
                )
            servers.start_project()
            wait_up(project_url)
            for row, extra, _ in rows:
                since = datetime.now(UTC).isoformat(timespec="seconds")
                extra = [*extra, *VISITS] if extra[0] == "submit" else extra
                result = load(project_url, f"project {row}", extra, servers, out, args)
                figures.setdefault(("project", row), []).append(result)
                if extra[0] == "submit":
                    drain(servers, since, f"round {round_} {row}", out)
            if args.lag and round_ == args.rounds:
                half = (
                    statistics.median(r["throughput"] for r in figures[("project", "HEAD + POST")])
                    / 2
                )
                since = datetime.now(UTC).isoformat(timespec="seconds")
                lag_args = argparse.Namespace(**{**vars(args), "duration": 60})
                extra = ["submit", "-c", "8", "--rate", f"{half:.1f}", *VISITS]
                load(project_url, f"project lag at {half:.0f}/s", extra, servers, out, lag_args)
                drain(servers, since, f"lag at {half:.0f}/s for 60 s", out)
            servers.stop()
    finally:
        servers.stop()
    report(figures, out)
    return 0


def report(figures: dict[tuple[str, str], list[dict]], out: Path) -> None:
    def median(server: str, row: str) -> float | None:
        runs = figures.get((server, row))
        return statistics.median(r["throughput"] for r in runs) if runs else None

    ceiling = median("ceiling", "POST only") or float("nan")
    lines = [
        f"C = the ceiling's POST-only rate at c=8: {ceiling:.0f}/s (median of the rounds)",
        "| workload | project | ceiling | project / C | project / ceiling's row | failures | "
        "project RSS start -> end MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for row, _, _ in ROWS:
        mine, theirs = median("project", row), median("ceiling", row)
        runs = figures.get(("project", row), [])
        failures = sum(r.get("failures", 0) for r in runs)
        rss = " / ".join(
            f"{r.get('server_rss_mib_start', 0):.0f}->{r.get('server_rss_mib_end', 0):.0f}"
            for r in runs
        )
        lines.append(
            f"| {row} | {mine or 0:.0f}/s | {'' if theirs is None else f'{theirs:.0f}/s'} | "
            f"{(mine or 0) / ceiling:.2f} C | "
            f"{'' if not theirs else f'{(mine or 0) / theirs:.0%}'} | {failures} | {rss} |"
        )
    lag = out / "lag.jsonl"
    if lag.exists():
        lines.append("")
        for line in lag.read_text().splitlines():
            r = json.loads(line)
            lines.append(
                f"merge lag, {r['label']}: p50 {r.get('lag_p50_s')} s, p99 {r.get('lag_p99_s')} s, "
                f"drained {r['drained_after_s']} s after the load"
            )
    text = "\n".join(lines)
    (out / "summary.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
