"""The app server in production (docs/deployment.md): granian serving the Django WSGI app behind
nginx. Every value can be changed through the environment: APP_BIND, APP_WORKERS, APP_THREADS,
APP_MAX_RSS_MIB, APP_LOG_LEVEL.

    python docker/serve.py

The script supervises granian: granian restarts a worker process that dies, but exits
altogether when one dies twice within a few seconds (its crash-loop rule), and nothing else
would start it again outside Docker. So this process runs granian as its child, passes signals
on, and starts it again after an unexpected exit, waiting longer each time it exits quickly.

Why granian and not gunicorn: its HTTP handling is in Rust, so a request costs the app process
less CPU than under gunicorn's Python loop. Measured in alternating runs on two cores
(docs/performance.md, "the app server is granian"): form list +56 %, submissions +15 %,
submissions with photos +22 %. The Django app is the same WSGI app either way.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import logging
import logging.config
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels

# The repository (or the image's /app): where `backend` is imported from, whatever the cwd.
APP_DIR = Path(__file__).resolve().parent.parent


def server_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """granian's options for the app, from the environment (a function, so a test can read them
    without starting a server)."""
    host, _, port = environ.get("APP_BIND", "0.0.0.0:8000").rpartition(":")
    max_rss = int(environ.get("APP_MAX_RSS_MIB", "1024"))
    return {
        "target": "backend.wsgi:application",
        "working_dir": APP_DIR,
        "address": host or "0.0.0.0",  # noqa: S104
        "port": int(port),
        "interface": Interfaces.WSGI,
        # nginx speaks HTTP/1.1 to the app and keeps those connections alive; no WebSockets.
        "http": HTTPModes.http1,
        "websockets": False,
        # One process per core, each running the app on a few threads: a thread waiting on
        # PostgreSQL or on the disk leaves the core to another request. nginx receives whole
        # uploads before passing them on (request buffering), so a slow phone never holds one.
        "workers": int(environ.get("APP_WORKERS", str(os.cpu_count() or 1))),
        "blocking_threads": int(environ.get("APP_THREADS", "4")),
        # Threads are started on demand and stop when idle; each holds its own database
        # connection, so keep them (and their connections) through the quiet minutes of a day.
        "blocking_threads_idle_timeout": 600,
        # A worker that dies (out of memory, a crash in a C library) is started again.
        "respawn_failed_workers": True,
        # A bound on slow growth of memory: a worker above it is replaced, the new one started
        # before the old one stops; the old one finishes its requests within the kill timeout
        # (phones give up after 60 s anyway).
        "workers_max_rss": max_rss or None,
        "workers_kill_timeout": 30,
        # Each request is logged once, by nginx, as JSON with its request id; the app's own lines
        # carry the same id (docs/deployment.md#logs).
        "log_access": False,
        "log_level": LogLevels(environ.get("APP_LOG_LEVEL", "info").lower()),
    }


def app_logging() -> dict[str, Any]:
    """The app's logging (settings.LOGGING: JSON lines with a request id in production) for
    granian's own lines too, so that a log collector reads one format. Reading settings loads
    them: after main() has put the app on sys.path and named the settings module."""
    config = copy.deepcopy(settings.LOGGING)
    config["loggers"] = {"_granian": {"handlers": ["console"], "propagate": False}}
    return config


# prctl's option that names the signal a process receives when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
# Set in granian's own process, so the script knows to serve rather than supervise.
_SERVING = "APP_SERVE_CHILD"
# Pauses before granian is started again: doubled after each quick exit, back to the first once
# it has served for a while.
_FIRST_PAUSE, _LONGEST_PAUSE, _SERVED_WELL_SECONDS = 1.0, 30.0, 60.0
logger = logging.getLogger("backend.serve")


# The app server's database time limits (backend/settings.py): a phone gives up on a request
# after about a minute, and a request stuck on a lock must free its thread well before that.
REQUEST_DATABASE_LIMITS = {
    "DATABASE_STATEMENT_TIMEOUT_MS": "30000",
    "DATABASE_LOCK_TIMEOUT_MS": "5000",
}


def serve() -> None:
    for name, value in REQUEST_DATABASE_LIMITS.items():
        os.environ.setdefault(name, value)
    Granian(**server_options(os.environ), log_dictconfig=app_logging()).serve()


def _end_with_parent() -> None:
    """In granian's process, before it starts: a SIGTERM when this supervisor dies, even by
    SIGKILL, so granian (in a process group of its own) never serves on unsupervised."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def supervise() -> int:
    """Run granian until told to stop; return its last exit code."""
    logging.config.dictConfig(app_logging())
    stop = threading.Event()
    child: subprocess.Popen[bytes] | None = None

    def pass_on(signum: int, frame: object) -> None:
        if signum != signal.SIGHUP:  # HUP: granian reloads its workers, nothing stops
            stop.set()
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, pass_on)
    pause = _FIRST_PAUSE
    while True:
        started = time.monotonic()
        # granian and its workers in a process group of their own: when granian's main process
        # dies (killed, out of memory) its workers would go on serving on the port, beside the
        # new ones and outside any supervision; the group is ended with it.
        child = subprocess.Popen(  # noqa: S603 (this script)
            [sys.executable, __file__],
            env={**os.environ, _SERVING: "1"},
            process_group=0,
            preexec_fn=_end_with_parent,
        )
        code = child.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        if stop.is_set():
            return code
        if time.monotonic() - started > _SERVED_WELL_SECONDS:
            pause = _FIRST_PAUSE
        logger.error("the app server exited with %s; starting it again in %.0f s", code, pause)
        if stop.wait(pause):
            return code
        pause = min(pause * 2, _LONGEST_PAUSE)


def main() -> None:
    sys.path.insert(0, str(APP_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    if os.environ.get(_SERVING):
        serve()
    else:
        sys.exit(supervise())


if __name__ == "__main__":
    main()
