"""Which areas a person works in: the rule the submissions, households and area lists share."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, project_role
from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.projects.models import Membership, Project


def assigned_areas(actor: Actor, project: Project) -> list[Area]:
    """The areas assigned to the actor in the project; empty means none (superusers: none)."""
    if not actor.is_authenticated or actor.is_superuser:
        return []
    membership = Membership.objects.filter(project=project, user_id=actor.pk).first()
    return list(membership.areas.all()) if membership else []


def villages_within(areas: list[Area]) -> QuerySet[Area]:
    """The villages that are, or lie inside, any of the areas."""
    ids = [area.pk for area in areas]
    return Area.objects.filter(level=Level.VILLAGE).filter(
        Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids)
    )


def areas_for_actor(*, actor: Actor, project: Project) -> QuerySet[Area]:
    """Areas the actor may list in the project.

    With assigned areas: those, everything inside them, and the areas above them (so a village
    worker sees which township and county it belongs to). Without: every area, since the
    geography itself is not personal data (households and submissions are scoped separately).
    """
    if project_role(actor, project) is None:
        return Area.objects.none()
    assigned = assigned_areas(actor, project)
    if not assigned:
        return Area.objects.all()
    ids = [area.pk for area in assigned]
    below = Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids)
    below |= Q(parent__parent__parent__in=ids)
    above = Area.objects.filter(
        Q(children__in=ids)
        | Q(children__children__in=ids)
        | Q(children__children__children__in=ids)
    ).values("pk")
    return Area.objects.filter(below | Q(pk__in=above))


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
