"""Requesting an export: the one write path that creates Export records."""

from functools import partial

from django.db import transaction
from django.utils.translation import get_language

from backend.accounts.models import User
from backend.exports.form_export import form_questions, resolve_language
from backend.exports.models import Export
from backend.exports.params import FORM_KINDS, ExportParams, clean_params
from backend.exports.tasks import run_export
from backend.projects.models import Project
from forms.models import Form


def export_request(*, actor: User, project: Project, kind: str, params: ExportParams) -> Export:
    """Check the request, record it and queue the build once the record is committed."""
    params = clean_params(project=project, kind=kind, params=params)
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
        transaction.on_commit(partial(run_export.enqueue, export.pk))
    return export
