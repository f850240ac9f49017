"""A change of a project's lines or rules re-evaluates its households, once the change is
committed (admin edits come through the model, so the signal is the one place that sees all)."""

from functools import partial
from typing import Any

from django.db import transaction

from backend.core.cache import bump_with_transaction
from backend.monitoring.models import IncomeLine, MonitoringRule
from backend.monitoring.words import words_forget
from backend.projects.models import Project


def rules_generation(project_id: int) -> str:
    """The generation under which the project's rules and lines are kept between runs."""
    return f"monitoring-rules:{project_id}"


def _recheck_later(project_id: int) -> None:
    from backend.monitoring.recheck import recheck_project  # the task imports the engine

    transaction.on_commit(partial(recheck_project.enqueue, project_id))


def rules_changed(sender: type, instance: IncomeLine | MonitoringRule, **kwargs: Any) -> None:
    if isinstance(instance, MonitoringRule):
        words_forget(instance.project_id)
    bump_with_transaction(rules_generation(instance.project_id))
    _recheck_later(instance.project_id)


def _rule_settings() -> frozenset[str]:
    """The project settings the rules read: the default line and the floor-area standard."""
    names = (field.name for field in Project._meta.get_fields())
    return frozenset(n for n in names if n == "monitoring_line" or n.startswith("reno_"))


def project_saved(
    sender: type,
    instance: Project,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Only a change the rules can see re-evaluates the households (a whole county's, in the
    background): not a GPS limit or a colour. A save that names no fields (the admin) might."""
    if created:
        return
    if update_fields is None or update_fields & _rule_settings():
        _recheck_later(instance.pk)
