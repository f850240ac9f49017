from django.utils import timezone

from backend.accounts.models import ApiToken, DeviceToken, User


def user_for_login(username: str) -> User | None:
    """The active user with this username, or None."""
    return User.objects.filter(username=username, is_active=True).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def device_token_for_secret(secret: str) -> DeviceToken | None:
    """The active token with this secret whose user is active, or None."""
    token = DeviceToken.objects.active().by_token(secret)
    if token is None or not token.user.is_active:
        return None
    return token


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The usable (not revoked, not expired) token with this secret of an active user, or None."""
    token = ApiToken.objects.usable(timezone.now()).by_token(secret)
    if token is None or not token.user.is_active:
        return None
    return token
