"""The task worker: django_tasks_db's polling loop, kept alive through database outages and
seen alive by the reaper.

The library's loop re-raises any database error but a locked SQLite file, so a PostgreSQL
restart or a dropped connection would stop every worker, and merges with them. Here such an
error closes the connections, waits for the database with a growing pause, gives back the task
the worker was running when it happened (its end could not be recorded) and polls again. A
thread writes the worker's heartbeat (TaskWorkerBeat) so the reaper can tell a worker that is
busy from one that was killed.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from backend.ops.models import TaskWorkerBeat
from backend.ops.reaper import tasks_reap

logger = logging.getLogger(__name__)

# Pauses between tries to reach the database again: short first (a dropped connection is back
# at once), then at most this long (a database restarting takes a while).
_FIRST_PAUSE, _LONGEST_PAUSE = 0.5, 10.0

# What a lost connection or an unreachable database raises; other errors are bugs and stop the
# worker.
_LOST = (OperationalError, InterfaceError)


class Heartbeat(threading.Thread):
    """Writes the worker's TaskWorkerBeat row every TASK_WORKER_BEAT_SECONDS until stopped;
    its own database connection, so a long task never delays a beat."""

    def __init__(self, worker_id: str, queues: str) -> None:
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        TaskWorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "queues": self.queues[:255],
                "started_at": self.started_at,
                "seen_at": timezone.now(),
            },
        )

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.TASK_WORKER_BEAT_SECONDS):
                try:
                    self.beat()
                except _LOST as exc:
                    logger.warning("task worker heartbeat not written: %s", exc)
                    connection.close()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()


class TaskWorker(Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, ",".join(self.queue_names))
        # The first beat before the first claim: the reaper must never see a claim of a worker
        # it has no row for.
        self._until_database(heartbeat.beat)
        self._until_database(tasks_reap)  # one started after a crash frees what the dead one held
        heartbeat.start()
        try:
            self._poll()
        finally:
            heartbeat.stop()
            self._forget(heartbeat)

    def _poll(self) -> None:
        while self.running:
            try:
                super().run()
                return  # a batch or --max-tasks run that ended, or a stop
            except _LOST as exc:
                logger.warning("task worker lost the database: %s", exc)
                self.running_task = False
                self.startup_delay = False
                self._until_database(lambda: tasks_reap(only_worker=self.worker_id))

    def _until_database(self, call: Callable[[], object]) -> None:
        """Run `call` once the database answers, waiting as long as it takes (or until a stop)."""
        pause = _FIRST_PAUSE
        while True:
            try:
                call()
                return
            except _LOST as exc:
                if not self.running:
                    raise
                connections.close_all()
                logger.warning("database not reachable (%s); trying again in %.1f s", exc, pause)
                time.sleep(pause)
                pause = min(pause * 2, _LONGEST_PAUSE)

    def _forget(self, heartbeat: Heartbeat) -> None:
        heartbeat.join(timeout=5)
        # Without the database the row goes stale instead; the reaper reads it the same way.
        with contextlib.suppress(*_LOST):
            TaskWorkerBeat.objects.filter(pk=self.worker_id).delete()
