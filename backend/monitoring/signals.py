"""A change of a project's lines or rules re-evaluates its households, once the change is
committed (admin edits come through the model, so the signal is the one place that sees all)."""

from functools import partial
from typing import Any

from django.db import transaction

from backend.monitoring.models import IncomeLine, MonitoringRule
from backend.projects.models import Project


def _recheck_later(project_id: int) -> None:
    from backend.monitoring.recheck import recheck_project  # the task imports the engine

    transaction.on_commit(partial(recheck_project.enqueue, project_id))


def rules_changed(sender: type, instance: IncomeLine | MonitoringRule, **kwargs: Any) -> None:
    _recheck_later(instance.project_id)


def project_saved(sender: type, instance: Project, created: bool, **kwargs: Any) -> None:
    """The project's settings hold the default line and the floor-area standard; a project is
    saved rarely (its settings), so any save of one re-evaluates."""
    if not created:
        _recheck_later(instance.pk)
