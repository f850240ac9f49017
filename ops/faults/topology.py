"""The production processes on loopback, supervised as production supervises them.

Docker's restart policy (docker/compose.yaml: `restart: unless-stopped`) and systemd's
`Restart=always` start a process again when it exits; its leftovers die with it (the container,
or the service's control group). The supervisor here does the same: a process that exits, or
that the suite killed, has its process group killed and is started again after a short pause.
Every exit is recorded, so a case can tell what the suite did from what a process did by itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_RESTART_PAUSE = 0.5  # seconds, about Docker's first restart delay


@dataclass(frozen=True)
class Event:
    at: float  # time.monotonic()
    service: str
    what: str


@dataclass
class Service:
    """One supervised process (and its children, which share its process group)."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    generation: int = 0
    kill_pending: bool = False  # the suite killed it: its next exit is no surprise

    def start(self) -> None:
        self.generation += 1
        argv = [a.replace("{generation}", str(self.generation)) for a in self.argv]
        with self.log.open("ab") as out:
            # A session of its own: the whole group can be killed, as a container is.
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        # For ops/faults.sh, which kills what is left should the suite itself be killed.
        self.log.with_suffix(".pid").write_text(str(self.process.pid))

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def kill(self) -> None:
        """SIGKILL the main process only, as the out-of-memory killer or a crash would."""
        self.kill_pending = True
        os.kill(self.pid, signal.SIGKILL)

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.exited() is not None:
            return
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        self.kill_group()


@dataclass
class Topology:
    """The app server, two task workers and the periodic runner, with a supervisor thread."""

    services: dict[str, Service]
    events: list[Event] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for service in self.services.values():
            service.start()
        threading.Thread(target=self._supervise, name="supervisor", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            for service in self.services.values():
                service.stop()

    def _supervise(self) -> None:
        while not self._stop.wait(0.2):
            with self._lock:
                for service in self.services.values():
                    self._restart_if_exited(service)

    def _restart_if_exited(self, service: Service) -> None:
        code = service.exited()
        if code is None:
            return
        why = "killed by the suite" if service.kill_pending else _describe(code)
        service.kill_pending = False
        service.kill_group()  # children left behind go with it, as in a container
        self.events.append(Event(time.monotonic(), service.name, why))
        time.sleep(_RESTART_PAUSE)
        service.start()

    def since(self, started: float) -> list[Event]:
        return [e for e in self.events if e.at >= started]

    def kill(self, name: str) -> None:
        with self._lock:
            self.services[name].kill()

    def granian(self) -> tuple[int | None, list[int]]:
        """granian's main process (docker/serve.py runs it as its child and supervises it) and
        its workers; None and [] while serve.py is starting it."""
        main = next(iter(_children(self.services["app"].pid)), None)
        return main, _children(main) if main is not None else []

    def kill_pid(self, pid: int | None) -> bool:
        with self._lock:
            if pid is None:
                return False
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return False
            return True

    def strays(self, name: str) -> list[int]:
        """Processes of the service's group that are no longer in its tree: left behind by a
        parent that died, and known to no supervisor."""
        leader = self.services[name].pid
        family = _descendants(leader) | {leader}
        return sorted(pid for pid in _group(leader) if pid not in family)


def _describe(code: int) -> str:
    return f"exited by itself with status {code}" if code >= 0 else f"died of signal {-code}"


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _descendants(pid: int) -> set[int]:
    found = set()
    for child in _children(pid):
        found |= {child, *_descendants(child)}
    return found


def _group(pgid: int) -> list[int]:
    """Every live process in the process group."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The fields after the command's closing parenthesis: state, ppid, pgrp, ...
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def production(work: Path, worker_command: str) -> Topology:
    """The processes of docker/compose.yaml: app (2 granian workers), a merge worker on the
    queue `default` (the compose file runs two alike), an evidence worker on `evidence` (under
    SCHED_IDLE, as in production), and the periodic runner."""
    env = dict(os.environ)
    manage = [sys.executable, "manage.py"]
    worker = [*manage, worker_command, "--interval", "0.2", "--no-startup-delay"]
    idle = ["chrt", "--idle", "0"] if shutil.which("chrt") else []
    specs = {
        "app": ([sys.executable, "docker/serve.py"], env),
        "merge-worker": (
            [*worker, "--queue-name", "default", "--worker-id", "faults-merge-{generation}"],
            env,
        ),
        "evidence-worker": (
            [
                *idle,
                *worker,
                "--queue-name",
                "evidence",
                "--worker-id",
                "faults-evidence-{generation}",
            ],
            env,
        ),
        "periodic": ([*manage, "run_periodic", "--interval", "5"], env),
    }
    return Topology(
        {
            name: Service(name, argv, work / f"{name}.log", service_env)
            for name, (argv, service_env) in specs.items()
        }
    )
