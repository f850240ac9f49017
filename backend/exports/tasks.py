"""Exports run as background tasks: in-process by default, on a database worker in production."""

from django_tasks import task

from backend.exports.build import export_build


@task()
def run_export(export_id: int) -> None:
    """Build one queued export (safe to deliver twice: only a queued export is started)."""
    export_build(export_id=export_id)
