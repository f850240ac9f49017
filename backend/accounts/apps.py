from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from backend.accounts.kept_scope import memberships_changed
        from backend.projects.models import Membership

        # Any membership or assignment changed, by whatever door: the kept keys are stale.
        for signal in (post_save, post_delete):
            signal.connect(memberships_changed, sender=Membership, dispatch_uid=str(signal))
        m2m_changed.connect(
            memberships_changed, sender=Membership.areas.through, dispatch_uid="assignments"
        )
