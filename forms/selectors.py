from django.db.models import Prefetch, QuerySet

from backend.projects.models import Project
from forms.models import Form, FormAttachment, FormVersion


def form_list(*, project: Project) -> QuerySet[Form]:
    """The project's forms with their current version and its attachments, in one query each."""
    return (
        Form.objects.filter(project=project)
        .select_related("current_version")
        .prefetch_related(
            Prefetch(
                "current_version__attachments", queryset=FormAttachment.objects.order_by("name")
            )
        )
        .order_by("xml_form_id")
    )


def form_versions(*, form: Form) -> QuerySet[FormVersion]:
    """Every published version of the form, newest first."""
    return form.versions.prefetch_related("attachments").order_by("-created_at")
