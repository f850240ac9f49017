"""An index of the ready tasks of each queue, in the order workers claim them.

The queue's own index (django_tasks_db's tasks_db_new_ordering_idx) orders every ready task of
every queue together. A merge worker asks for the `default` queue only; while the evidence
checks wait (under load they do, by design: they run on idle CPU), each of its polls walked past
every waiting check to find no merge (5 ms at 5,000 waiting, every 0.1 s, per worker), and
its cost grew with the backlog. This one starts at the queue.
"""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"
INDEX = "task_ready_by_queue"


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0003_task_worker_beat"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} "
            "(queue_name, priority DESC, run_after, enqueued_at) WHERE status = 'READY'",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
