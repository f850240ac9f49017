"""Who may do what: one function per resource, used by the API, the pages and sync alike.

Missing and forbidden give the same NotFound, so nobody can probe which projects exist.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import ApiToken, DeviceToken, User
from backend.core.errors import NotFound, PermissionDenied
from backend.projects.models import Membership, Project, Role

# A role may do everything the roles after it may do.
_RANK = {Role.ADMIN: 3, Role.SUPERVISOR: 2, Role.COLLECTOR: 1}

Actor = User | AnonymousUser
# Ids are 64-bit; a larger number from a URL would overflow the database driver.
_MAX_ID = 2**63 - 1


def project_role(actor: Actor, project: Project) -> str | None:
    """Return the actor's role in the project (superusers are admins everywhere)."""
    if not actor.is_authenticated or not actor.is_active:
        return None
    if actor.is_superuser:
        return Role.ADMIN
    membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    return membership.role if membership else None


def access_project_by_slug(actor: Actor, slug: str, *, role: Role = Role.COLLECTOR) -> Project:
    """Return the project if the actor holds at least `role` in it."""
    project = Project.objects.filter(slug=slug).first()
    held = project_role(actor, project) if project else None
    if project is None or held is None:
        raise NotFound(_("Project not found."))
    if _RANK[Role(held)] < _RANK[role]:
        raise PermissionDenied(_("Your role in this project does not allow this."))
    return project


def projects_for_user(actor: Actor) -> list[Project]:
    """The projects the actor belongs to."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    if actor.is_superuser:
        return list(Project.objects.all())
    return list(Project.objects.filter(memberships__user_id=actor.pk))


def access_api_token(actor: Actor, token_id: int) -> ApiToken:
    """One of the actor's own API tokens; NotFound for someone else's and missing alike."""
    mine = ApiToken.objects.filter(user_id=actor.pk) if actor.pk else ApiToken.objects.none()
    token = mine.filter(pk=token_id).first() if 0 < token_id <= _MAX_ID else None
    if token is None:
        raise NotFound(_("Token not found."))
    return token


def access_device_token(actor: Actor, slug: str, token_id: int) -> DeviceToken:
    """A phone's token in a project the actor administers."""
    project = access_project_by_slug(actor, slug, role=Role.ADMIN)
    token = (
        DeviceToken.objects.filter(pk=token_id, project=project).select_related("user").first()
        if 0 < token_id <= _MAX_ID
        else None
    )
    if token is None:
        raise NotFound(_("Device not found."))
    return token


def access_member(actor: Actor, project: Project, user_id: int | str) -> Membership:
    """A member of the project, for its admins; NotFound for anyone else or anything missing."""
    if project_role(actor, project) != Role.ADMIN:
        raise NotFound(_("Member not found."))
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        raise NotFound(_("Member not found.")) from None
    membership = (
        Membership.objects.select_related("user", "project")
        .filter(project=project, user_id=key)
        .first()
    )
    if membership is None:
        raise NotFound(_("Member not found."))
    return membership


def access_member_device_token(
    actor: Actor, membership: Membership, token_id: int | str
) -> DeviceToken:
    """A device token of the member in the membership's project, for the project's admins."""
    if project_role(actor, membership.project) != Role.ADMIN:
        raise NotFound(_("Device not found."))
    try:
        key = int(token_id)
    except (TypeError, ValueError):
        raise NotFound(_("Device not found.")) from None
    token = DeviceToken.objects.filter(
        pk=key, project=membership.project, user_id=membership.user_id
    ).first()
    if token is None:
        raise NotFound(_("Device not found."))
    return token
