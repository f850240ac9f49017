"""Adding, changing and removing a project's members: the one write path for memberships.

Every function checks the access rules itself (backend/accounts/access.py): an admin manages
only members inside the admin's area, and hands out no role or area wider than the admin's own.
A refusal raises before anything is written.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.access import Actor, access_member, require_grant
from backend.accounts.models import DeviceToken, User
from backend.accounts.services import device_token_revoke
from backend.areas.models import Area
from backend.core.errors import InvalidInput, NotFound, PermissionDenied
from backend.projects.models import Membership, Project


@transaction.atomic
def membership_add(
    *, actor: Actor, project: Project, username: str, role: str, areas: list[Area]
) -> Membership:
    """Give an existing user a role in the project."""
    require_grant(actor, project, role=role, area_ids=[area.pk for area in areas])
    user = User.objects.filter(username=username, is_active=True).first()
    # Only superusers manage superusers (access._manages_with): to anyone else there is none.
    if user is None or (user.is_superuser and not actor.is_superuser):
        raise NotFound(_("No active user has this user name."))
    if Membership.objects.filter(project=project, user=user).exists():
        raise InvalidInput(_("%(user)s is already a member of this project.") % {"user": user})
    return _membership_create(project, user, role, areas)


@transaction.atomic
def membership_add_new_user(
    *,
    actor: Actor,
    project: Project,
    username: str,
    full_name: str,
    password: str,
    role: str,
    areas: list[Area],
) -> Membership:
    """Create a user with a first password, which they must change at their first sign-in, and
    give them a role in the project."""
    require_grant(actor, project, role=role, area_ids=[area.pk for area in areas])
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This user name is taken. Add the existing user, or choose another."))
    user = User(username=username, full_name=full_name, must_change_password=True)
    try:
        User._meta.get_field("username").run_validators(username)
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    return _membership_create(project, user, role, areas)


@transaction.atomic
def membership_change(
    *, actor: Actor, project: Project, user_id: int, role: str, areas: list[Area]
) -> Membership:
    """Change a member's role and areas: the admin must manage the member as they are and as
    they will be."""
    membership = _managed_other(actor, project, user_id)
    require_grant(actor, project, role=role, area_ids=[area.pk for area in areas])
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    membership.areas.set(areas)
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, project: Project, user_id: int) -> None:
    """Take a member out of the project; their phones for it stop connecting. Their submissions,
    decisions and the access log keep their name."""
    membership = _managed_other(actor, project, user_id)
    phones = DeviceToken.objects.filter(
        project=project, user_id=membership.user_id, revoked_at__isnull=True
    )
    for token in phones:
        device_token_revoke(token=token)
    membership.delete()


def _managed_other(actor: Actor, project: Project, user_id: int) -> Membership:
    membership = access_member(actor, project, user_id)
    if membership.user_id == actor.pk:
        raise PermissionDenied(_("Another admin must change or remove your own membership."))
    return membership


def _membership_create(project: Project, user: User, role: str, areas: list[Area]) -> Membership:
    membership = Membership.objects.create(project=project, user=user, role=role)
    membership.areas.set(areas)
    return membership


@transaction.atomic
def user_password_chosen(*, user: User) -> None:
    """The user has replaced the password an admin chose for them."""
    User.objects.filter(pk=user.pk).update(must_change_password=False)
