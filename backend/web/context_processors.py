from django.http import HttpRequest

from backend.accounts.access import project_role


def navigation(request: HttpRequest) -> dict[str, object]:
    """The current project (set by project_page) and the user's role in it, for the nav bar."""
    project = getattr(request, "project", None)
    if project is None:
        return {"nav_project": None, "nav_role": None}
    return {"nav_project": project, "nav_role": project_role(request.user, project)}
