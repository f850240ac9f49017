"""Reads of projects and of the memberships that place people in them."""

from collections.abc import Iterable

from django.db.models import QuerySet

from backend.accounts.access import Actor
from backend.projects.models import Membership, Project


def memberships_of(*, user_id: int) -> QuerySet[Membership]:
    """A person's memberships, with their assigned areas."""
    return Membership.objects.filter(user_id=user_id).prefetch_related("areas")


def membership_in(*, project: Project, user_id: int) -> Membership | None:
    """A person's membership of the project, with its assigned areas, if they have one."""
    return memberships_of(user_id=user_id).filter(project=project).first()


def projects_list(*, actor: Actor, member_of: Iterable[int]) -> QuerySet[Project]:
    """The projects the actor sees, by name: every one for superusers, else those they belong
    to (`member_of`: their projects' ids)."""
    projects = (
        Project.objects.all()
        if actor.is_superuser
        else Project.objects.filter(pk__in=list(member_of))
    )
    return projects.order_by("name")


def project_by_id(pk: int) -> Project:
    """The project as stored (a fresh copy, apart from one a request already holds)."""
    return Project.objects.get(pk=pk)
