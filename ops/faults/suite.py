"""Start the topology, run the cases in order, print each case's counts, and say whether the
promises held (docs/reliability.md#how-to-run-the-fault-suite)."""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management import get_commands

from ops.faults.cases import burst, connections, disk, extremes, kills, lock, registrations
from ops.faults.forms import Photos
from ops.faults.report import Outcome
from ops.faults.rig import Login, Rig
from ops.faults.topology import production

CASES: dict[str, Callable[[Rig], Outcome]] = {
    "registrations": registrations.run,
    "kills": kills.run,
    "disk": disk.run,
    "connections": connections.run,
    "lock": lock.run,
    "burst": burst.run,
    "extremes": extremes.run,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ops.faults", description=__doc__)
    parser.add_argument("--server", required=True, help="http://127.0.0.1:<port>/projects/demo")
    parser.add_argument("--login", default="worker:demo-worker-2026", help="user:password")
    parser.add_argument("--work", type=Path, required=True, help="folder for the process logs")
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"comma-separated, in this order: {','.join(CASES)}",
    )
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--media-tmpfs",
        action="store_true",
        help="DATA_DIR is a small tmpfs of its own (needed by the case `disk`)",
    )
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=90,
        help="how long a case waits for the task queue to drain",
    )
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    names = [n for n in args.cases.split(",") if n]
    unknown = sorted(set(names) - set(CASES))
    if unknown:
        print(f"unknown cases: {', '.join(unknown)}")
        return 2
    worker = "task_worker" if "task_worker" in get_commands() else "db_worker"
    topology = production(args.work, worker)
    username, _, password = args.login.partition(":")
    rig = Rig(
        topology,
        Login(args.server, username, password, args.server.rstrip("/").rsplit("/", 1)[-1]),
        args.work,
        random.Random(args.seed),
        Photos(args.seed),
        settle_seconds=args.settle_seconds,
    )
    started = time.monotonic()
    print(f"== topology: granian (docker/serve.py), {worker} x2, run_periodic", flush=True)
    topology.start()
    try:
        _wait_serving(rig)
        outcomes = [_run(name, rig, media_tmpfs=args.media_tmpfs) for name in names]
    finally:
        topology.stop()
    return _summary([o for o in outcomes if o is not None], time.monotonic() - started)


def _wait_serving(rig: Rig) -> None:
    phone = rig.phone(timeout=5)
    deadline = time.monotonic() + 60
    while phone.send("GET", "/health").status != 200:
        if time.monotonic() > deadline:
            raise SystemExit("the app server did not answer /health with 200 within 60 s")
        time.sleep(0.5)


def _run(name: str, rig: Rig, *, media_tmpfs: bool) -> Outcome | None:
    if name == "disk" and not media_tmpfs:
        print("disk         SKIPPED: DATA_DIR is not a tmpfs of its own (ops/faults.sh as root)")
        return None
    print(f"== {name}", flush=True)
    started = time.monotonic()
    outcome = CASES[name](rig)
    outcome.seconds = time.monotonic() - started
    print(outcome.line())
    for line in outcome.details():
        print(line)
    print(flush=True)
    return outcome


def _summary(outcomes: list[Outcome], seconds: float) -> int:
    failed = [o.case for o in outcomes if o.reasons()]
    print("== counts")
    for outcome in outcomes:
        print(outcome.line())
    verdict = f"FAILED: {', '.join(failed)}" if failed else "passed"
    print(f"fault suite {verdict} in {seconds:.0f} s")
    return 1 if failed else 0
