"""Access to forms goes through the project: a form is visible to whoever may see its project."""

from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, access_project_by_slug
from backend.core.errors import NotFound
from backend.projects.models import Role
from forms.models import Form


def access_form_by_xml_id(
    actor: Actor,
    slug: str,
    xml_form_id: str,
    *,
    role: Role = Role.COLLECTOR,
    whole_project: bool = False,
) -> Form:
    """Return the form of the project if the actor holds at least `role` there (and works in
    all of it, with `whole_project`: forms reach every area's phones)."""
    project = access_project_by_slug(actor, slug, role=role, whole_project=whole_project)
    form = (
        Form.objects.select_related("project", "current_version")
        .filter(project=project, xml_form_id=xml_form_id)
        .first()
    )
    if form is None:
        raise NotFound(_("Form not found."))
    return form
