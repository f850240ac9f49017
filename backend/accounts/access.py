"""Who may do what: one function per resource, used by the API, the pages and sync alike.

Missing and forbidden give the same NotFound, so nobody can probe which projects exist.

A person's scope in a project is the whole project (superusers; supervisors and admins without
assigned areas) or the assigned areas with everything below them. Reads of households and
submissions filter by it; writes ask whether it holds an area, a village or another person's
scope before they change anything.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import ApiToken, DeviceToken, User
from backend.areas.models import Area
from backend.core.errors import InvalidInput, NotFound, PermissionDenied
from backend.core.memo import memoized, remember
from backend.projects.models import Membership, Project, Role

# A role may do everything the roles after it may do. Department staff rank below field
# workers: every endpoint that asks for a role refuses them, except those of the rectification
# items handed to their department (backend/casework/access.py).
_RANK = {Role.ADMIN: 3, Role.SUPERVISOR: 2, Role.COLLECTOR: 1, Role.DEPARTMENT: 0}

Actor = User | AnonymousUser
# Ids are 64-bit; a larger number from a URL would overflow the database driver.
_MAX_ID = 2**63 - 1


def project_role(actor: Actor, project: Project) -> str | None:
    """Return the actor's role in the project (superusers are admins everywhere)."""
    if not actor.is_authenticated or not actor.is_active:
        return None
    if actor.is_superuser:
        return Role.ADMIN
    user_id = actor.pk
    return memoized(("project_role", user_id, project.pk), lambda: _member_role(user_id, project))


def _member_role(user_id: int, project: Project) -> str | None:
    role = Membership.objects.filter(project=project, user_id=user_id).values_list("role")
    found = role.first()
    return found[0] if found else None


def access_project_by_slug(
    actor: Actor, slug: str, *, role: Role = Role.COLLECTOR, whole_project: bool = False
) -> Project:
    """Return the project if the actor holds at least `role` in it, and, with `whole_project`,
    works in all of it (what changes every area: forms, settings, weights)."""
    project = Project.objects.filter(slug=slug).first()
    held = project_role(actor, project) if project else None
    if project is None or held is None:
        raise NotFound(_("Project not found."))
    if _RANK[Role(held)] < _RANK[role]:
        raise PermissionDenied(_("Your role in this project does not allow this."))
    if whole_project:
        require_whole_project(actor, project)
    return project


def access_project_for_phone(
    actor: Actor, slug: str, *, device_token: DeviceToken | None
) -> Project:
    """The project a phone asks for: a device token opens its own project only, while its
    holder is a member (or a superuser); without a token, as access_project_by_slug."""
    if device_token is None:
        return access_project_by_slug(actor, slug)
    # The role came with the token's row (accounts/selectors.py): no query here.
    role = Role.ADMIN if actor.is_superuser else getattr(device_token, "project_role", None)
    # Department staff work at a desk on the items handed to them: no phone.
    if device_token.project.slug != slug or role is None or role == Role.DEPARTMENT:
        raise NotFound(_("Project not found."))
    # The rest of the request (the household list's scope) reads the same role.
    remember(("project_role", actor.pk, device_token.project.pk), role)
    return device_token.project


def require_whole_project(actor: Actor, project: Project) -> None:
    """Refuse someone whose scope is a part of the project a change that reaches all of it."""
    if not covers_project(scope_of(actor, project), project):
        raise PermissionDenied(
            _("This changes the whole project: only its admins for all areas may do it.")
        )


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
    """A phone's token in a project the actor administers, of a member the actor manages."""
    project = access_project_by_slug(actor, slug, role=Role.ADMIN)
    token = (
        DeviceToken.objects.filter(pk=token_id, project=project).select_related("user").first()
        if 0 < token_id <= _MAX_ID
        else None
    )
    membership = _membership_of(project, token.user_id) if token else None
    if token is None or not _manages(actor, project, membership, token.user):
        raise NotFound(_("Device not found."))
    return token


def access_member(actor: Actor, project: Project, user_id: int | str) -> Membership:
    """A member the actor manages: a project admin whose scope holds the member's, with a role
    at least the member's. NotFound for anyone else or anything missing."""
    try:
        key = int(user_id)
    except (TypeError, ValueError):
        raise NotFound(_("Member not found.")) from None
    membership = _membership_of(project, key) if 0 < key <= _MAX_ID else None
    if membership is None or not _manages(actor, project, membership, membership.user):
        raise NotFound(_("Member not found."))
    return membership


def access_member_device_token(
    actor: Actor, membership: Membership, token_id: int | str
) -> DeviceToken:
    """A device token of a member the actor manages, in the membership's project."""
    if not _manages(actor, membership.project, membership, membership.user):
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


def members_managed_by(
    actor: Actor, project: Project, members: list[Membership]
) -> list[Membership]:
    """The members among `members` the actor manages (the people lists show only those)."""
    scope = scope_of(actor, project)
    if scope.role != Role.ADMIN:
        return []
    return [m for m in members if _manages_with(scope, actor, m, m.user)]


def require_grant(actor: Actor, project: Project, *, role: str, area_ids: list[int]) -> None:
    """Refuse handing someone a role or areas wider than the actor's own: only a project admin
    grants, never a role above theirs, and an admin of some areas only areas inside them (at
    least one: no areas would mean the whole project)."""
    scope = scope_of(actor, project)
    if scope.role != Role.ADMIN:
        raise PermissionDenied(_("Only the project's admins manage its members."))
    if role not in Role.values:
        raise PermissionDenied(_("Unknown role."))
    if role == Role.DEPARTMENT:
        # A department's staff need their department, which these pages do not ask for.
        raise InvalidInput(_("Department staff are added with their department by a site admin."))
    whole = not area_ids and role != Role.COLLECTOR
    granted = Scope(role=role, whole_project=whole, area_ids=areas_within(area_ids))
    if not scope.ranks_at_least(granted):
        raise PermissionDenied(_("You may not give a role above your own."))
    if not scope.whole_project and not area_ids:
        raise PermissionDenied(_("Choose at least one area within yours."))
    if not scope.holds_scope(granted) and area_ids:
        raise PermissionDenied(_("You may give only areas within yours."))


def grantable_areas(actor: Actor, project: Project) -> QuerySet[Area]:
    """The areas the actor may hand to members: all for an admin of the whole project, else
    those within the admin's own areas; none for anyone else."""
    scope = scope_of(actor, project)
    if scope.role != Role.ADMIN:
        return Area.objects.none()
    areas = (
        Area.objects.all() if scope.whole_project else Area.objects.filter(pk__in=scope.area_ids)
    )
    return areas.defer("boundary").order_by("code")


def _membership_of(project: Project, user_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "project")
        .filter(project=project, user_id=user_id)
        .first()
    )


def _manages(actor: Actor, project: Project, membership: Membership | None, user: User) -> bool:
    scope = scope_of(actor, project)
    return scope.role == Role.ADMIN and _manages_with(scope, actor, membership, user)


def _manages_with(scope: "Scope", actor: Actor, membership: Membership | None, user: User) -> bool:
    """Whether an admin with `scope` manages this person: only superusers manage superusers; a
    member's role may not rank above the admin's, nor their scope reach outside it."""
    if user.is_superuser:
        return bool(actor.is_superuser)
    if scope.whole_project:
        # An admin of the whole project outranks and holds every member, and a phone left
        # behind by someone who is no longer one.
        return True
    if membership is None:
        return False
    theirs = scope_of_membership(membership)
    return scope.ranks_at_least(theirs) and scope.holds_scope(theirs)


# --- Scope ---


@dataclass(frozen=True)
class Scope:
    """Where one person works in one project."""

    role: str | None
    whole_project: bool
    # The assigned areas, and every area at or below them (counties hold their townships,
    # villages and villager groups).
    area_ids: frozenset[int]

    def holds_area(self, area: Area | None) -> bool:
        """Whether the area lies within the scope; None (no parent: a county) only in the whole
        project's."""
        if self.whole_project:
            return True
        return area is not None and area.pk in self.area_ids

    def holds_village(self, village_id: int | None) -> bool:
        return self.whole_project or (village_id is not None and village_id in self.area_ids)

    def holds_scope(self, other: "Scope") -> bool:
        """Whether this scope covers all of `other`'s: the whole project covers everything; a
        scope of areas covers another of areas inside it, never the whole project."""
        if self.whole_project:
            return True
        return not other.whole_project and bool(other.area_ids) and other.area_ids <= self.area_ids

    def ranks_at_least(self, other: "Scope") -> bool:
        """Whether this scope's role is at least the other's."""
        return _rank(self.role) >= _rank(other.role)


def scope_of(actor: Actor, project: Project) -> Scope:
    """The actor's scope in the project; no role means an empty scope."""
    role = project_role(actor, project)
    if role is None or actor.pk is None:  # the anonymous user (no pk) never has a role
        return Scope(role=None, whole_project=False, area_ids=frozenset())
    if actor.is_superuser:
        return Scope(role=role, whole_project=True, area_ids=frozenset())
    return _scope(project, actor.pk, role, assigned_area_ids(actor, project))


def covers_project(scope: "Scope", project: Project) -> bool:
    """Whether the scope reaches everywhere the project works: the whole project, or areas (a
    county, say) holding every household's village and every member's assigned area."""
    if scope.whole_project:
        return True
    if not scope.area_ids:
        return False
    outside_households = project.households.exclude(village_id__in=scope.area_ids)
    outside_members = Area.objects.filter(memberships__project=project).exclude(
        pk__in=scope.area_ids
    )
    return not outside_households.exists() and not outside_members.exists()


def assigned_area_ids(actor: Actor, project: Project) -> list[int]:
    """The ids of the areas assigned to the actor in the project (superusers: none)."""
    if not actor.is_authenticated or actor.is_superuser:
        return []
    user_id = actor.pk
    # A copy: the caller may change its list, the memo's stays as read.
    return list(
        memoized(("assigned_area_ids", user_id, project.pk), lambda: _assigned(user_id, project))
    )


def _assigned(user_id: int, project: Project) -> list[int]:
    assigned = Area.objects.filter(memberships__project=project, memberships__user_id=user_id)
    return list(assigned.values_list("pk", flat=True))


def scope_of_membership(membership: Membership) -> Scope:
    """The scope of a member, as an admin who would manage them sees it."""
    if membership.user.is_superuser:
        return Scope(role=Role.ADMIN, whole_project=True, area_ids=frozenset())
    assigned = [area.pk for area in membership.areas.all()]  # prefetched in lists
    return _scope(membership.project, membership.user_id, membership.role, assigned)


def _rank(role: str | None) -> int:
    return _RANK[Role(role)] if role else 0


def _scope(project: Project, user_id: int, role: str, assigned: list[int]) -> Scope:
    if role == Role.DEPARTMENT:
        # No household, submission or flag: a department reads the items handed to it only.
        return Scope(role=role, whole_project=False, area_ids=frozenset())
    if role != Role.COLLECTOR:
        return Scope(role=role, whole_project=not assigned, area_ids=areas_within(assigned))
    # A field worker works in the assigned villages and on the households they help wherever
    # those are (households/access.py); without either, nowhere yet.
    helped = Area.objects.filter(households__project=project, households__helper_id=user_id)
    villages = list(helped.values_list("pk", flat=True).distinct())
    return Scope(role=role, whole_project=False, area_ids=areas_within(assigned + villages))


def areas_within(ids: list[int]) -> frozenset[int]:
    """These areas' ids and those of every area below them (four levels at most)."""
    if not ids:
        return frozenset()
    below = (
        Q(pk__in=ids)
        | Q(parent_id__in=ids)
        | Q(parent__parent_id__in=ids)
        | Q(parent__parent__parent_id__in=ids)
    )
    return frozenset(Area.objects.filter(below).values_list("pk", flat=True))
