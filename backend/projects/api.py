"""JSON API for projects: the caller's projects, with their role and areas in each."""

from ninja import Router

from backend.accounts.access import Actor, access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.core.schemas import ERRORS
from backend.projects.models import Membership, Project, Role
from backend.projects.schemas import AreaRefOut, ProjectOut
from backend.projects.selectors import membership_in, memberships_of, projects_list

router = Router(tags=["projects"])


@router.get("/projects", response={200: list[ProjectOut], **ERRORS})
def list_projects(request: SignedInRequest) -> list[ProjectOut]:
    """The projects the caller belongs to (every project for superusers), by name."""
    memberships = {m.project_id: m for m in memberships_of(user_id=request.user.pk)}
    projects = projects_list(actor=request.user, member_of=memberships)
    return [_out(p, memberships.get(p.pk), request.user) for p in projects]


@router.get("/projects/{slug}", response={200: ProjectOut, **ERRORS})
def get_project(request: SignedInRequest, slug: str) -> ProjectOut:
    project = access_project_by_slug(request.user, slug)
    membership = membership_in(project=project, user_id=request.user.pk)
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
