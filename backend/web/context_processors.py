from functools import partial

from django.http import HttpRequest

from backend.accounts.access import Actor, covers_project, project_role, scope_of
from backend.projects.models import Project


def navigation(request: HttpRequest) -> dict[str, object]:
    """The current project (set by project_page) and the user's role in it, for the nav bar.

    Whether the user's area covers the whole project is asked only when the nav shows an admin's
    links: the template calls the function then.
    """
    project = getattr(request, "project", None)
    if project is None:
        return {"nav_project": None, "nav_role": None, "nav_whole_project": False}
    return {
        "nav_project": project,
        "nav_role": project_role(request.user, project),
        "nav_whole_project": partial(_covers_project, request.user, project),
    }


def _covers_project(actor: Actor, project: Project) -> bool:
    return covers_project(scope_of(actor, project), project)
