import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, close_old_connections, connections

from backend.ops.periodic import JOBS, run_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (overdue visits every 6 h, the offline-update backlog hourly, "
        "cleanups daily) when due. Safe to run on several hosts at once: each job runs once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=int, default=60, help="seconds between looks for due jobs (60)"
        )
        parser.add_argument("--once", action="store_true", help="run what is due, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def _stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"periodic jobs: {', '.join(job.name for job in JOBS)}")
        while not stop.is_set():
            try:
                for name, result in run_due_jobs():
                    self.stdout.write(f"{name}: {result}")
            except (OperationalError, InterfaceError) as exc:
                # The database is away (a restart, a dropped connection): look again next time.
                logger.warning("periodic jobs skipped, database not reachable: %s", exc)
                connections.close_all()
            # A long sleep would keep a connection the database may have dropped meanwhile.
            close_old_connections()
            if options["once"]:
                break
            stop.wait(options["interval"])
