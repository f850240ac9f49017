from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlagsConfig(AppConfig):
    name = "backend.flags"
    label = "flags"
    verbose_name = _("Flags")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.flags.models import RiskWeight
        from backend.flags.risk import weights_changed

        # Whatever door a weight comes through (the settings page, the admin): the kept
        # weights are stale.
        post_save.connect(weights_changed, sender=RiskWeight, dispatch_uid="weights_saved")
        post_delete.connect(weights_changed, sender=RiskWeight, dispatch_uid="weights_deleted")
