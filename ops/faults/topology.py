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
import random
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
    paused: set[str] = field(default_factory=set)
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
                    if service.name not in self.paused:
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

    def kill_app_worker(self, rng: random.Random) -> int | None:
        """SIGKILL one of granian's worker processes; its pid, or None when there is none."""
        with self._lock:
            workers = _children(self.services["app"].pid)
            if not workers:
                return None
            pid = rng.choice(workers)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return None
            return pid

    def app_workers(self) -> list[int]:
        return _children(self.services["app"].pid)

    def alive(self, name: str) -> bool:
        return self.services[name].exited() is None


def _describe(code: int) -> str:
    return f"exited by itself with status {code}" if code >= 0 else f"died of signal {-code}"


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def production(work: Path, worker_command: str) -> Topology:
    """The processes of docker/compose.yaml: app (2 granian workers), a merge worker on the
    queue `default`, an evidence worker on `default,evidence` (under SCHED_IDLE, as in
    production), and the periodic runner."""
    env = dict(os.environ)
    # Upload parts over FILE_UPLOAD_MAX_MEMORY_SIZE go to temporary files; a folder of their
    # own shows what killed processes leave behind.
    uploads = work / "uploads"
    uploads.mkdir(exist_ok=True)
    manage = [sys.executable, "manage.py"]
    worker = [*manage, worker_command, "--interval", "0.2", "--no-startup-delay"]
    idle = ["chrt", "--idle", "0"] if shutil.which("chrt") else []
    specs = {
        "app": ([sys.executable, "docker/serve.py"], {**env, "TMPDIR": str(uploads)}),
        "merge-worker": (
            [*worker, "--queue-name", "default", "--worker-id", "faults-merge-{generation}"],
            env,
        ),
        "evidence-worker": (
            [
                *idle,
                *worker,
                "--queue-name",
                "default,evidence",
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
