from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the server: health, periodic jobs, backup and restore."""

    name = "backend.ops"
    label = "ops"
    verbose_name = _("Operations")
