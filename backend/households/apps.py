from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "backend.households"
    label = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.households.list_generation import household_saved_or_deleted
        from backend.households.models import Household

        # Any household saved or deleted, by whatever door: the kept list tokens are stale.
        for signal in (post_save, post_delete):
            signal.connect(household_saved_or_deleted, sender=Household, dispatch_uid=str(signal))
