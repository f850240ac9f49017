from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Schema

from backend.exports.models import Export, ExportState


class ExportIn(Schema):
    kind: str
    form: str = ""
    labels: bool = False
    language: str = ""
    split_select_multiple: bool = False
    village: str = ""
    since: date | None = None
    until: date | None = None
    review_state: str = ""
    personal_data: bool = False


class ExportOut(Schema):
    id: int
    kind: str
    state: str
    progress: int
    row_count: int
    parameters: dict[str, Any]
    filename: str
    size: int | None
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    download: str | None

    @staticmethod
    def resolve_download(export: Export) -> str | None:
        if export.state != ExportState.DONE:
            return None
        return reverse(
            "api:download_export", kwargs={"slug": export.project.slug, "export_id": export.pk}
        )
