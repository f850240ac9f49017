"""Requesting an export: the one write path that creates Export records."""

from functools import partial

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.errors import PermissionDenied
from backend.exports.access import may_export_personal_data
from backend.exports.form_export import form_questions, resolve_language
from backend.exports.models import Export
from backend.exports.params import FORM_KINDS, ExportParams, clean_params
from backend.exports.tasks import run_export
from backend.projects.models import Project
from forms.models import Form


def export_request(
    *, actor: User, project: Project, kind: str, params: ExportParams, ip: str = ""
) -> Export:
    """Check the request, record it and queue the build once the record is committed.

    Personal data is masked unless the request asks for it; asking is for admins only and is
    written to the access log like a reveal on the pages.
    """
    params = clean_params(project=project, kind=kind, params=params)
    if params.personal_data and not may_export_personal_data(actor, project):
        raise PermissionDenied(_("Only project admins may export personal data unmasked."))
    if params.locale == "":
        params = ExportParams.from_json({**params.as_json(), "locale": get_language() or ""})
    if kind in FORM_KINDS:
        form = Form.objects.select_related("current_version").get(
            project=project, xml_form_id=params.form
        )
        resolve_language(form_questions(form), params.language, params.locale)
    with transaction.atomic(durable=True):
        export = Export.objects.create(
            project=project, kind=kind, parameters=params.as_json(), requested_by=actor
        )
        if params.personal_data:
            access_log_record(
                user=actor,
                project_id=project.pk,
                kind=AccessKind.REVEAL,
                object_type="export",
                object_ids=[export.pk],
                ip=ip,
                detail=f"{kind} {params.form}",
            )
        transaction.on_commit(partial(run_export.enqueue, export.pk))
    return export
