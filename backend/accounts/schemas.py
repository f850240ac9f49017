from datetime import datetime

from ninja import Field, Schema

from backend.accounts.models import ApiToken, DeviceToken
from backend.projects.models import Membership
from backend.projects.schemas import AreaRefOut


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    phone: str
    is_superuser: bool
    # "token" when this request came with an API token, "session" when signed in on the pages.
    authenticated_with: str


class ApiTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=ApiToken.NAME_MAX_LENGTH)
    expires_in_days: int | None = Field(
        None, ge=1, le=3650, description="the token stops working after this many days"
    )


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    # The secret, shown this once: only its SHA-256 is stored.
    token: str


class MemberOut(Schema):
    username: str
    full_name: str
    email: str
    phone: str
    is_active: bool
    last_login: datetime | None
    role: str
    areas: list[AreaRefOut]

    @staticmethod
    def of(membership: Membership) -> "MemberOut":
        user = membership.user
        return MemberOut(
            username=user.username,
            full_name=user.full_name,
            email=user.email,
            phone=user.phone,
            is_active=user.is_active,
            last_login=user.last_login,
            role=membership.role,
            areas=[AreaRefOut.of(a) for a in membership.areas.all()],
        )


class DeviceOut(Schema):
    id: int
    user: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_user(token: DeviceToken) -> str:
        return token.user.username
