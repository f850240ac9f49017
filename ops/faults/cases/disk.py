"""A full media disk: DATA_DIR is a small tmpfs of its own (ops/faults.sh mounts it), filled to
the last byte. Submissions with photos must get a 5xx the phone sends again, never a 201;
once space is freed, the phones' retries get 201 and every photo is intact."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

from django.conf import settings

from ops.faults.report import Outcome
from ops.faults.rig import Rig, join

FULL_SECONDS = 10
PHONES = 4
VISITS = 12
# One photo held in memory by the app, one spooled to a temporary file (on another disk).
SIZES = (200_000, 1_200_000)


def run(rig: Rig) -> Outcome:
    mount = Path(settings.DATA_DIR)
    # The queue first: evidence checks of earlier cases would fail on the full disk too.
    rig.quiet()
    case = rig.start("disk")
    filler = _fill(mount)
    full_from = time.monotonic()
    phones = case.send(rig.visits(VISITS, lambda i: SIZES), phones=PHONES, until=full_from + 90)
    time.sleep(FULL_SECONDS / 2)
    case.probes.append(rig.phone().send("GET", "formList"))  # the phones' list still answers
    health = _health_while_full(rig)
    time.sleep(FULL_SECONDS / 2)
    filler.unlink()
    full_to = time.monotonic()
    case.faults.append(f"media full for {full_to - full_from:.0f} s")
    join(phones)
    outcome = case.count()
    # A request that began while the disk was full may end after it was freed: allowed too.
    outcome.windows = [(full_from, full_to + 1)]
    accepted_while_full = [
        a for f in case.forms for a in f.answers if a.status == 201 and a.ended < full_to
    ]
    if accepted_while_full:
        outcome.failures.append(f"{len(accepted_while_full)} answered 201 while the disk was full")
    outcome.notes.append(f"/health while the disk was full: {health}")
    return outcome


def _fill(mount: Path) -> Path:
    """Write a file until the filesystem has not one byte left."""
    filler = mount / "faults-filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for chunk in (1 << 20, 1 << 12, 1):
            _write_until_full(fd, bytes(chunk))
    finally:
        os.close(fd)
    return filler


def _write_until_full(fd: int, chunk: bytes) -> None:
    try:
        while True:
            os.write(fd, chunk)
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise


def _health_while_full(rig: Rig) -> str:
    answer = rig.phone().send("GET", "/health")
    return f"{answer.status} after {answer.seconds:.1f} s"
