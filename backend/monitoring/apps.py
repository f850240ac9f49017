from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "backend.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring rules")

    def ready(self) -> None:
        from backend.flags.catalogue import read_project_rules
        from backend.monitoring import signals
        from backend.monitoring.models import IncomeLine, MonitoringRule
        from backend.monitoring.words import ProjectRuleWords
        from backend.projects.models import Project

        for model in (IncomeLine, MonitoringRule):
            post_save.connect(signals.rules_changed, sender=model)
            post_delete.connect(signals.rules_changed, sender=model)
        post_save.connect(signals.project_saved, sender=Project)
        read_project_rules(ProjectRuleWords())
