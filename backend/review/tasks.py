"""Work the review pages start and do not wait for."""

from django_tasks import task

from backend.flags.risk import risk_recompute
from backend.projects.models import Project


@task()
def recompute_risk(project_id: int, codes: list[str]) -> None:
    """Recompute the stored risk scores after the project's weights of `codes` changed."""
    project = Project.objects.filter(pk=project_id).first()
    if project is not None:
        risk_recompute(project=project, codes=codes)
