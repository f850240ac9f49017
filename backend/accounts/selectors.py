from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from backend.accounts.models import ApiToken, DeviceToken, User, token_digest
from backend.areas.models import Area
from backend.core.cache import cached, forget
from backend.projects.models import Membership, Project


def user_for_login(username: str) -> User | None:
    """The active user with this username, or None."""
    return User.objects.filter(username=username, is_active=True).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def device_token_for_secret(secret: str) -> DeviceToken | None:
    """The active token with this secret whose user is active, or None.

    Phones send the token with every request: the answer is cached (backend/core/cache.py) and
    forgotten when the token is revoked.
    """
    return cached(_token_key(token_digest(secret)), lambda: _load_token(secret))


def device_token_forget(token: DeviceToken) -> None:
    """Drop the cached copy of a token so its next use reads the database."""
    forget(_token_key(token.digest))


def _token_key(digest: str) -> str:
    return f"device-token:{digest}"


def _load_token(secret: str) -> DeviceToken | None:
    # The caller's role in the token's project comes in the same query (None: no longer a member).
    role = Membership.objects.filter(project=OuterRef("project_id"), user=OuterRef("user_id"))
    token = (
        DeviceToken.objects.active()
        .annotate(project_role=Subquery(role.values("role")[:1]))
        .by_token(secret)
    )
    if token is None or not token.user.is_active:
        return None
    return token


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The usable (not revoked, not expired) token with this secret of an active user, or None."""
    token = ApiToken.objects.usable(timezone.now()).by_token(secret)
    if token is None or not token.user.is_active:
        return None
    return token


def members_list(*, project: Project) -> QuerySet[Membership]:
    """The project's members with their areas and how many phones each has connected."""
    return (
        Membership.objects.filter(project=project)
        .select_related("user", "project")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("code")))
        .annotate(
            devices=Count(
                "user__device_tokens",
                filter=Q(user__device_tokens__project=project)
                & Q(user__device_tokens__revoked_at__isnull=True),
            )
        )
        .order_by("role", "user__username")
    )


def device_tokens_of(*, membership: Membership) -> QuerySet[DeviceToken]:
    """The member's phones in the project, newest first, revoked ones included."""
    return DeviceToken.objects.filter(
        project_id=membership.project_id, user_id=membership.user_id
    ).order_by("revoked_at", "-created_at")


def api_tokens_of(*, user_id: int) -> QuerySet[ApiToken]:
    """A person's API tokens, newest first, revoked ones included."""
    return ApiToken.objects.filter(user_id=user_id).order_by("-created_at", "-pk")


def members_by_username(*, project: Project) -> QuerySet[Membership]:
    """The project's members with their users and areas, by username."""
    return (
        Membership.objects.filter(project=project)
        .select_related("user", "project")
        .prefetch_related("areas")
        .order_by("user__username")
    )


def device_tokens_of_users(
    *, project: Project, user_ids: list[int], revoked: bool
) -> QuerySet[DeviceToken]:
    """These people's phones in the project, newest first; revoked ones only with `revoked`."""
    tokens = DeviceToken.objects.filter(project=project, user_id__in=user_ids)
    if not revoked:
        tokens = tokens.active()
    return tokens.select_related("user").order_by("-created_at", "-pk")
