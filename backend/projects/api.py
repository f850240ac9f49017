"""JSON API for projects: the caller's projects, with their role and areas in each."""

from ninja import Router

from backend.accounts.access import Actor, access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.core.schemas import ERRORS
from backend.projects.models import Membership, Project, Role
from backend.projects.schemas import AreaRefOut, ProjectOut

router = Router(tags=["projects"])


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
def list_projects(request: SignedInRequest) -> list[ProjectOut]:
    """The projects the caller belongs to (every project for superusers), by name."""
    memberships = {
        m.project_id: m
        for m in Membership.objects.filter(user_id=request.user.pk).prefetch_related("areas")
    }
    projects = (
        Project.objects.all()
        if request.user.is_superuser
        else Project.objects.filter(pk__in=memberships)
    )
    return [_out(p, memberships.get(p.pk), request.user) for p in projects.order_by("name")]


@router.get("/projects/{slug}", response={200: ProjectOut, **ERRORS})
def get_project(request: SignedInRequest, slug: str) -> ProjectOut:
    project = access_project_by_slug(request.user, slug)
    membership = (
        Membership.objects.filter(project=project, user_id=request.user.pk)
        .prefetch_related("areas")
        .first()
    )
    return _out(project, membership, request.user)


def _out(project: Project, membership: Membership | None, actor: Actor) -> ProjectOut:
    # Only superusers see projects without a membership, and they are admins everywhere.
    role = Role.ADMIN if actor.is_superuser or membership is None else membership.role
    return ProjectOut(
        slug=project.slug,
        name=project.name,
        color=project.color,
        icon=project.icon,
        role=role,
        areas=[AreaRefOut.of(a) for a in membership.areas.all()] if membership else [],
        monitoring_line=project.monitoring_line,
        visit_cadence_days=project.visit_cadence_days,
        household_creation_needs_approval=project.household_creation_needs_approval,
    )
