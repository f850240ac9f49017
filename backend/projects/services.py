from typing import Any

from django.db import transaction

from backend.projects.models import Project


@transaction.atomic(durable=True)
def project_settings_update(*, project: Project, changes: dict[str, Any]) -> Project:
    """Change the project's settings (validated by the model) and save only those fields."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    return locked
