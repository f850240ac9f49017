from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """When a periodic job (backend/ops/periodic.py) last ran and may next run.

    Several runners may be started (one per host): a runner claims a due job by moving
    `next_run_at` forward in one conditional UPDATE, so exactly one of them runs it.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_result = models.TextField(_("last result"), blank=True)
    last_failed = models.BooleanField(_("last run failed"), default=False)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HealthProbe(models.Model):
    """One row /health writes on every call: a database that answers reads but refuses writes
    (a full disk, a read-only replica after a failover) must not be reported healthy."""

    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("health probe")
        verbose_name_plural = _("health probes")

    def __str__(self) -> str:
        return str(self.checked_at)


class TaskWorkerBeat(models.Model):
    """A running task worker, seen alive at `seen_at` (it writes this row every few seconds).

    A task left "running" by a worker whose row went stale was killed with it: the reaper
    (backend/ops/reaper.py) gives it back to the queue.
    """

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    queues = models.CharField(_("queues"), max_length=255)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
