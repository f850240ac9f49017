"""What the web form pages hand to Enketo (docs/forms.md#web-forms): the XForm, its lists as XML
documents, and the answers the phone's entity selection would have given.

The lists are the ones a phone downloads, read through the same functions and scoped the same
way; for a household, the household list holds that household only.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.areas.lists import VILLAGE_LIST, village_list
from backend.core.errors import NotFound
from backend.core.storage import stored_name
from backend.households.access import households_for_actor
from backend.households.lists import household_list_rows
from backend.households.models import Household
from backend.projects.models import Project
from forms.entity_lists import HOUSEHOLD_LIST
from forms.external_data import EMPTY_INSTANCE, csv_as_instance
from forms.models import Form, FormAttachment, FormVersion
from forms.selectors import forms_open_with_version
from forms.xform import external_instances, list_questions


@dataclass(frozen=True)
class WebForm:
    title: str
    xform: str
    # Secondary instance id -> its XML document (Enketo takes external data as XML only).
    external: dict[str, str] = field(default_factory=dict)
    # Answer path -> value set before the form opens.
    prefill: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=256)
def _household_questions(md5: str, xform: str) -> tuple[str, ...]:
    # Keyed by the version's MD5: a version's XForm never changes.
    return tuple(list_questions(xform.encode("utf-8"), HOUSEHOLD_LIST))


def _chooses_household(version: FormVersion) -> bool:
    return bool(_household_questions(version.md5, version.xform))


def forms_for_household(*, project: Project) -> list[Form]:
    """The open forms (those the phones get) whose current version chooses a household from
    the household list."""
    return [
        form
        for form in forms_open_with_version(project=project)
        if form.current_version is not None and _chooses_household(form.current_version)
    ]


def fillable_form(*, project: Project, form_id: str) -> Form:
    """The open form `form_id` that chooses a household; NotFound otherwise."""
    form = next((f for f in forms_for_household(project=project) if f.xml_form_id == form_id), None)
    if form is None:
        raise NotFound(_("Form not found."))
    return form


def web_form_for_household(
    *, actor: Actor, project: Project, household: Household, form_id: str
) -> WebForm:
    """The form `form_id` opened for `household`, which the caller has read through the access
    layer: its lists as the actor's phone would get them, the household already chosen."""
    form = fillable_form(project=project, form_id=form_id)
    version = form.current_version
    assert version is not None  # forms_for_household keeps only forms with one
    xml = version.xform_bytes
    prefill = dict.fromkeys(_household_questions(version.md5, version.xform), str(household.uuid))
    prefill |= dict.fromkeys(list_questions(xml, VILLAGE_LIST), household.village.code)
    external = _external(version, actor, project, household=household)
    return WebForm(title=form.title, xform=version.xform, external=external, prefill=prefill)


def web_form_preview(*, actor: Actor, project: Project, xform: str, title: str) -> WebForm:
    """A form to look at, published or not: the villages the actor lists, no households."""
    villages = village_list(actor=actor, project=project).content
    external = {
        instance_id: csv_as_instance(villages) if name == f"{VILLAGE_LIST}.csv" else EMPTY_INSTANCE
        for instance_id, name in external_instances(xform.encode("utf-8")).items()
    }
    return WebForm(title=title, xform=xform, external=external)


def web_form_preview_version(*, actor: Actor, project: Project, form: Form) -> WebForm:
    """A published form's current version, with its uploaded files, and no households."""
    if form.current_version is None:
        raise NotFound(_("Form not found."))
    version = form.current_version
    return WebForm(
        title=form.title, xform=version.xform, external=_external(version, actor, project)
    )


def _external(
    version: FormVersion, actor: Actor, project: Project, *, household: Household | None = None
) -> dict[str, str]:
    attachments = {a.name: a for a in version.attachments.all()}
    return {
        instance_id: _instance(attachments.get(name), actor, project, household)
        for instance_id, name in external_instances(version.xform_bytes).items()
    }


def _instance(
    attachment: FormAttachment | None,
    actor: Actor,
    project: Project,
    household: Household | None,
) -> str:
    """One list as the phone would download it; an empty one when it is not there yet."""
    if attachment is None:
        return EMPTY_INSTANCE
    if attachment.entity_list == HOUSEHOLD_LIST:
        if household is None:
            return EMPTY_INSTANCE  # a preview shows no one's household
        scoped = households_for_actor(actor=actor, project=project).filter(pk=household.pk)
        return csv_as_instance(b"".join(household_list_rows(project, scoped)))
    if attachment.generated == VILLAGE_LIST:
        return csv_as_instance(village_list(actor=actor, project=project).content)
    if attachment.file and attachment.name.lower().endswith(".csv"):
        with default_storage.open(stored_name(attachment.file), "rb") as stored:
            return csv_as_instance(stored.read())
    if attachment.file and attachment.name.lower().endswith(".xml"):
        with default_storage.open(stored_name(attachment.file), "rb") as stored:
            return str(stored.read().decode("utf-8", errors="replace"))
    return EMPTY_INSTANCE
