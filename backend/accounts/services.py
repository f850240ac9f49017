from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.models import ApiToken, DeviceToken, User, digest_ha1
from backend.accounts.selectors import device_token_forget
from backend.core.errors import InvalidInput
from backend.projects.models import Project

# Writing last_used_at on every request would make each phone request a write.
_TOUCH_EVERY = timedelta(hours=1)
# Scripts call often; minutes are precise enough to tell a token still in use from a forgotten one.
_API_TOUCH_EVERY = timedelta(minutes=5)


@transaction.atomic
def device_token_issue(*, user: User, project: Project, label: str = "") -> tuple[DeviceToken, str]:
    """Create a token for one phone; return it with its secret (shown once, stored hashed)."""
    secret, digest = DeviceToken.new_secret()
    token = DeviceToken.objects.create(user=user, project=project, label=label, digest=digest)
    return token, secret


def device_token_revoke(*, token: DeviceToken) -> None:
    """Stop a phone from connecting; its submissions stay."""
    DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    # Forget now and again after commit, so a request racing the revocation cannot keep the old
    # copy in the cache.
    device_token_forget(token)
    transaction.on_commit(partial(device_token_forget, token))


def device_token_touch(*, token: DeviceToken) -> None:
    """Record that the phone connected, at most once an hour."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now)
        device_token_forget(token)  # the cached copy still holds the old time


def user_remember_digest(*, user: User, password: str) -> None:
    """Keep HA1 for a user who signed in with the right password (users made before Digest)."""
    ha1 = digest_ha1(user.username, settings.OPENROSA_REALM, password)
    if user.digest_ha1 != ha1:
        User.objects.filter(pk=user.pk).update(digest_ha1=ha1)


@transaction.atomic(durable=True)
def api_token_issue(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token; return it with its secret (shown once, stored hashed)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the token a name, e.g. the script that uses it."))
    if len(name) > ApiToken.NAME_MAX_LENGTH:
        raise InvalidInput(_("A token name has at most 100 characters."))
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry date must be in the future."))
    secret, digest = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(ApiToken.PREFIX) + 4],
        digest=digest,
        expires_at=expires_at,
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working; revoking twice keeps the first date."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most every few minutes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _API_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
