import hashlib
import secrets
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel


def digest_ha1(username: str, realm: str, password: str) -> str:
    """HTTP Digest's HA1 = MD5(username:realm:password), over UTF-8 (we announce charset=UTF-8)."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()  # noqa: S324  RFC 7616


class HouseholdUserManager(UserManager["User"]):
    def _create_user_object(
        self, username: str, email: str | None, password: str | None, **extra_fields: object
    ) -> "User":
        # Django assigns the hash directly here; go through set_password so HA1 is kept too.
        # django-stubs does not declare this private helper of Django's UserManager.
        user: User = super()._create_user_object(  # type: ignore[misc]
            username, email, None, **extra_fields
        )
        user.set_password(password)
        return user


class User(AbstractUser):
    """A person who signs in: admin, supervisor or field worker (roles are per project)."""

    # Chinese names do not split into first and last name; one field holds the name as written.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Digest authentication (ODK Collect over plain HTTP) needs HA1, which can only be computed
    # while the plain password is at hand: it is kept whenever the password is set.
    digest_ha1 = models.CharField(max_length=32, blank=True, editable=False)
    # Set when an admin chose the password (a new member): the pages ask for a new one first.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects: ClassVar[HouseholdUserManager] = HouseholdUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.digest_ha1 = (
            digest_ha1(self.username, settings.OPENROSA_REALM, raw_password)
            if raw_password is not None
            else ""
        )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceTokenQuerySet(models.QuerySet["DeviceToken"]):
    def active(self) -> "DeviceTokenQuerySet":
        return self.filter(revoked_at__isnull=True)

    def by_token(self, token: str) -> "DeviceToken | None":
        return self.select_related("user", "project").filter(digest=token_digest(token)).first()


class DeviceToken(TimeStampedModel):
    """A secret in the ODK Collect server URL that signs one phone in as a field worker.

    Only the token's SHA-256 is stored: a database dump does not hand out working phones.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="device_tokens"
    )
    label = models.CharField(_("device"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = DeviceTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")

    def __str__(self) -> str:
        return f"{self.user} / {self.label or self.pk}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """Return a fresh token and its digest: 64 URL-safe characters (48 random bytes)."""
        token = secrets.token_urlsafe(48)
        return token, token_digest(token)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime) -> "ApiTokenQuerySet":
        """Tokens that are neither revoked nor expired at `now`."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def by_token(self, token: str) -> "ApiToken | None":
        return self.select_related("user").filter(digest=token_digest(token)).first()


class ApiToken(TimeStampedModel):
    """A personal token for scripts: `Authorization: Bearer <token>` acts as its user on the API.

    Stored as its SHA-256 like DeviceToken; the secret is shown once, when it is issued. The
    prefix (the first characters) lets people tell their tokens apart in lists.
    """

    PREFIX = "hv_"
    NAME_MAX_LENGTH = 100

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"

    @classmethod
    def new_secret(cls) -> tuple[str, str]:
        """Return a fresh token and its digest; the `hv_` prefix lets secret scanners find it."""
        token = cls.PREFIX + secrets.token_urlsafe(32)
        return token, token_digest(token)
