"""The files of a village's households (一户一档) as one zip of PDFs, built in the background one
household at a time: memory holds one household's file whatever the village's size. Each
household in it is a look at its data, written in the access log."""

import zipfile
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.errors import InvalidInput
from backend.dossiers.content import household_dossier
from backend.dossiers.pdf import dossier_pdf
from backend.exports.form_export import Built
from backend.exports.models import Export
from backend.exports.params import ExportParams
from backend.exports.progress import Progress
from backend.exports.selection import export_households


def build_dossier_export(export: Export, directory: Path) -> Built:
    params = ExportParams.from_json(export.parameters)
    if not params.village:
        raise InvalidInput(_("Name the village whose files to bundle."))
    with translation.override(params.locale or None):
        return _build(export, directory, params)


def _build(export: Export, directory: Path, params: ExportParams) -> Built:
    households = export_households(export).select_related("village", "helper").order_by("code")
    progress = Progress(export.pk, households.count())
    filename = f"{export.project.slug}-{params.village}-files.zip"
    path = directory / filename
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as bundle:
        for household in households.iterator(chunk_size=200):
            dossier = household_dossier(
                actor=export.requested_by, project=export.project, household=household
            )
            bundle.writestr(f"{household.code}.pdf", dossier_pdf(dossier))
            access_log_record(
                user=export.requested_by,
                project_id=export.project_id,
                kind=AccessKind.VIEW_HOUSEHOLD,
                object_type="household",
                object_ids=[household.uuid],
                ip="",
                detail=f"household file (export {export.pk})",
            )
            progress.step()
    progress.save()
    return Built(path, filename, progress.done)
