from typing import Any

from django_tasks_db.management.commands import db_worker

from backend.ops.worker import TaskWorker


class Command(db_worker.Command):
    help = (
        "Run the task worker (db_worker's options but --reload): it keeps running through "
        "database outages, and the tasks of a worker that was killed go back to the queue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queues = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = TaskWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
