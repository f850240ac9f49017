from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "backend.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.areas.lists import areas_changed
        from backend.areas.models import Area

        # Any area saved or deleted, by whatever door: the kept village lists are stale.
        post_save.connect(areas_changed, sender=Area, dispatch_uid="areas_changed_save")
        post_delete.connect(areas_changed, sender=Area, dispatch_uid="areas_changed_delete")
