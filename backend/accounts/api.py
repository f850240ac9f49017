"""JSON API for people: who am I, my API tokens; for project admins, members and phones."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from backend.accounts.access import (
    access_api_token,
    access_device_token,
    access_project_by_slug,
    members_managed_by,
)
from backend.accounts.models import ApiToken, DeviceToken
from backend.accounts.requests import SignedInRequest
from backend.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    DeviceOut,
    MemberOut,
    MeOut,
)
from backend.accounts.selectors import (
    api_tokens_of,
    device_tokens_of_users,
    members_by_username,
)
from backend.accounts.services import api_token_issue, api_token_revoke, device_token_revoke
from backend.core.errors import PermissionDenied
from backend.core.schemas import ERRORS
from backend.projects.models import Role

router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: SignedInRequest) -> MeOut:
    """Who the API sees: useful to check that a token works."""
    user = request.user
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        phone=user.phone,
        is_superuser=user.is_superuser,
        authenticated_with="token" if hasattr(request, "api_token") else "session",
    )


@router.get("/me/tokens", response={200: list[ApiTokenOut], **ERRORS})
def list_api_tokens(request: SignedInRequest) -> list[ApiToken]:
    """The caller's API tokens, newest first, revoked ones included."""
    return list(api_tokens_of(user_id=request.user.pk))


@router.post("/me/tokens", response={201: ApiTokenCreatedOut, **ERRORS})
def create_api_token(request: SignedInRequest, body: ApiTokenIn) -> Status[ApiTokenCreatedOut]:
    """Issue a personal API token; the answer holds the secret, shown this once."""
    if hasattr(request, "api_token"):
        # A leaked token must not be able to extend its own life.
        raise PermissionDenied(_("Sign in to create API tokens; a token cannot create another."))
    expires_at = (
        timezone.now() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    )
    token, secret = api_token_issue(user=request.user, name=body.name, expires_at=expires_at)
    return Status(201, ApiTokenCreatedOut(**ApiTokenOut.from_orm(token).dict(), token=secret))


@router.delete("/me/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_api_token(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of the caller's tokens; it stops working at once."""
    api_token_revoke(token=access_api_token(request.user, token_id))
    return Status(204, None)


@router.get("/projects/{slug}/users", response={200: list[MemberOut], **ERRORS})
def list_project_users(request: HttpRequest, slug: str) -> list[MemberOut]:
    """Project admins: the members they manage, with their roles and areas."""
    project = access_project_by_slug(request.user, slug, role=Role.ADMIN)
    memberships = list(members_by_username(project=project))
    return [MemberOut.of(m) for m in members_managed_by(request.user, project, memberships)]


@router.get("/projects/{slug}/devices", response={200: list[DeviceOut], **ERRORS})
def list_devices(request: HttpRequest, slug: str, revoked: bool = False) -> list[DeviceToken]:
    """Project admins: the phones' tokens of the members they manage (active ones, or also
    revoked with `revoked=true`)."""
    project = access_project_by_slug(request.user, slug, role=Role.ADMIN)
    memberships = list(members_by_username(project=project))
    managed = members_managed_by(request.user, project, memberships)
    user_ids = [m.user_id for m in managed]
    return list(device_tokens_of_users(project=project, user_ids=user_ids, revoked=revoked))


@router.post("/projects/{slug}/devices/{device_id}/revoke", response={200: DeviceOut, **ERRORS})
def revoke_device(request: HttpRequest, slug: str, device_id: int) -> DeviceToken:
    """Project admins: stop a lost phone from connecting; what it sent stays."""
    token = access_device_token(request.user, slug, device_id)
    device_token_revoke(token=token)
    token.refresh_from_db(fields=["revoked_at"])
    return token
