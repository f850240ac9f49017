"""Which areas a person works in: the rule the submissions, households and area lists share."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, Scope, assigned_area_ids, project_role, scope_of
from backend.accounts.kept_scope import kept_assigned_area_ids
from backend.areas.models import Area
from backend.core.errors import NotFound
from backend.projects.models import Membership, Project, Role


def areas_for_actor(*, actor: Actor, project: Project) -> QuerySet[Area]:
    """Areas the actor may list in the project.

    With assigned areas: those, everything inside them, and the areas above them (so a village
    worker sees which township and county it belongs to). Without: every area, since the
    geography itself is not personal data (households and submissions are scoped separately).
    """
    if project_role(actor, project) is None:
        return Area.objects.none()
    ids = assigned_area_ids(actor, project)
    if not ids:
        return Area.objects.all()
    below = Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids)
    below |= Q(parent__parent__parent__in=ids)
    above = Area.objects.filter(
        Q(children__in=ids)
        | Q(children__children__in=ids)
        | Q(children__children__children__in=ids)
    ).values("pk")
    return Area.objects.filter(below | Q(pk__in=above))


def area_scope(*, actor: Actor, project: Project) -> str:
    """What decides which areas `areas_for_actor` lists, as text: two people with the same text
    list the same areas. A key for kept documents (backend/accounts/kept_scope.py), not a check."""
    if project_role(actor, project) is None:
        return "none"
    ids = kept_assigned_area_ids(actor, project)
    return "within:" + ",".join(map(str, sorted(ids))) if ids else "all"


def access_area_by_code(actor: Actor, project: Project, code: str) -> Area:
    """The area if the actor may list it; NotFound for missing and not yours alike."""
    area = (
        areas_for_actor(actor=actor, project=project)
        .select_related("parent")
        .filter(code=code)
        .first()
    )
    if area is None:
        raise NotFound(_("Area not found."))
    return area


@dataclass(frozen=True)
class AreaEditor:
    """Who changes the area tree: the areas they may edit and place new areas under.

    Areas are shared by every project, so an area is edited only by someone whose scope holds
    it and whose project is the only one working there; a move also needs the new parent.
    Operators at the command line (`project` None) may edit everything.
    """

    scope: Scope | None
    project: Project | None
    # Whether another project keeps households at or below an area: a question of the
    # households (backend/households/access.py::area_editor answers it).
    others_keep_households: Callable[[list[int], Project | None], bool] = lambda ids, p: False

    def may_edit(self, area: Area) -> bool:
        """Whether the editor may change this existing area (its name, boundary or parent)."""
        if self.scope is None:
            return True
        return self.scope.holds_area(area) and not self._used_elsewhere(area)

    def _used_elsewhere(self, area: Area) -> bool:
        """Whether another project works in this area: has households at or below it, or
        people assigned to it, to an area below it or to one above it."""
        lineage = [*_ancestors(area), area.pk]
        below = Q(pk=area.pk) | Q(parent_id=area.pk) | Q(parent__parent_id=area.pk)
        below |= Q(parent__parent__parent_id=area.pk)
        inside = list(Area.objects.filter(below).values_list("pk", flat=True))
        assigned = Membership.objects.exclude(project=self.project).filter(
            areas__in=[*lineage, *inside]
        )
        return self.others_keep_households(inside, self.project) or assigned.exists()

    def may_place_under(self, parent: Area | None) -> bool:
        """Whether the editor may put an area under `parent` (None: make a county)."""
        if self.scope is None:
            return True
        if parent is None:
            return self.scope.whole_project and not self.scope.area_ids
        return self.may_edit(parent)


def area_editor(
    actor: Actor,
    project: Project,
    others_keep_households: Callable[[list[int], Project | None], bool],
) -> AreaEditor:
    """The area rights of a person in a project: project admins edit in their scope, nobody
    else edits at all; superusers edit everything, as operators do."""
    if actor.is_superuser:
        return OPERATOR
    scope = scope_of(actor, project)
    if scope.role != Role.ADMIN:
        scope = Scope(role=None, whole_project=False, area_ids=frozenset())
    return AreaEditor(scope=scope, project=project, others_keep_households=others_keep_households)


# The command line's rights: whoever runs manage.py operates the whole server.
OPERATOR = AreaEditor(scope=None, project=None)


def _ancestors(area: Area) -> list[int]:
    ids: list[int] = []
    parent_id = area.parent_id
    while parent_id is not None and len(ids) < 4:
        ids.append(parent_id)
        parent_id = Area.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids
