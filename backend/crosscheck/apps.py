from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "backend.crosscheck"
    label = "crosscheck"
    verbose_name = _("Cross-checks with other departments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from backend.crosscheck.facts import files_changed
        from backend.crosscheck.models import DepartmentImport

        # A file read or deleted: the newest file of its department may have changed.
        post_save.connect(files_changed, sender=DepartmentImport, dispatch_uid="files_saved")
        post_delete.connect(files_changed, sender=DepartmentImport, dispatch_uid="files_deleted")
