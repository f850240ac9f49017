from django.db.models import Count, Prefetch, Q, QuerySet

from backend.accounts.models import DeviceToken, User
from backend.areas.models import Area
from backend.projects.models import Membership, Project


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


def members_list(*, project: Project) -> QuerySet[Membership]:
    """The project's members with their areas and how many phones each has connected."""
    return (
        Membership.objects.filter(project=project)
        .select_related("user")
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
