"""Building a queued export into a file in storage (the work of the `run_export` task)."""

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.core.errors import DomainError
from backend.exports.case_export import build_case_export
from backend.exports.dossier_export import build_dossier_export
from backend.exports.form_export import Built, build_form_export
from backend.exports.geojson_export import build_geojson_export
from backend.exports.household_export import build_household_export
from backend.exports.models import Export, ExportKind, ExportState
from backend.exports.photo_export import build_photo_export
from backend.exports.rectification_export import build_rectification_export

logger = logging.getLogger(__name__)
STORAGE_PREFIX = "exports"

_BUILDERS: dict[str, Callable[[Export, Path], Built]] = {
    ExportKind.FORM_CSV: build_form_export,
    ExportKind.FORM_XLSX: build_form_export,
    ExportKind.HOUSEHOLDS_CSV: build_household_export,
    ExportKind.HOUSEHOLDS_XLSX: build_household_export,
    ExportKind.HISTORY_CSV: build_household_export,
    ExportKind.HISTORY_XLSX: build_household_export,
    ExportKind.HOUSEHOLDS_GEOJSON: build_geojson_export,
    ExportKind.SUBMISSIONS_GEOJSON: build_geojson_export,
    ExportKind.PHOTOS_ZIP: build_photo_export,
    ExportKind.CASES_XLSX: build_case_export,
    ExportKind.DOSSIERS_ZIP: build_dossier_export,
    ExportKind.RECTIFICATIONS_XLSX: build_rectification_export,
}


def export_build(*, export_id: int) -> None:
    """Build a queued export into storage; record the failure if it cannot be built.

    Claiming the row with a conditional UPDATE makes a second delivery of the task a no-op.
    """
    claimed = Export.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    export = Export.objects.select_related("project", "requested_by").get(pk=export_id)
    try:
        with tempfile.TemporaryDirectory(prefix="export-") as directory:
            built = _BUILDERS[export.kind](export, Path(directory))
            stored, size = _store(export, built)
    except DomainError as exc:
        _fail(export_id, str(exc))
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        _fail(export_id, _("The export failed (%(error)s).") % {"error": type(exc).__name__})
    else:
        Export.objects.filter(pk=export_id).update(
            state=ExportState.DONE,
            progress=100,
            row_count=built.rows,
            file=stored,
            filename=built.filename,
            size=size,
            finished_at=timezone.now(),
        )


def _store(export: Export, built: Built) -> tuple[str, int]:
    """Copy the finished file to storage in chunks; return its storage path and size."""
    name = f"{STORAGE_PREFIX}/{export.project_id}/{export.pk}/{built.filename}"
    with built.path.open("rb") as handle:
        stored = default_storage.save(name, File(handle, name=built.filename))
    return stored, built.path.stat().st_size


def _fail(export_id: int, message: str) -> None:
    Export.objects.filter(pk=export_id).update(
        state=ExportState.FAILED, error=message[:2000], finished_at=timezone.now()
    )
