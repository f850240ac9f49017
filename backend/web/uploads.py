"""Reading an imported file on the admin pages, refused before reading when it is too large."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from backend.core.errors import DomainError
from backend.core.upload_size import refuse_oversized


class ImportTooLarge(DomainError):
    code = "import.too_large"
    status = 413


def read_import(upload: UploadedFile) -> bytes:
    """The file's bytes; ImportTooLarge above IMPORT_MAX_UPLOAD_BYTES."""
    refuse_oversized(
        name=upload.name,
        size=upload.size,
        limit=settings.IMPORT_MAX_UPLOAD_BYTES,
        error=ImportTooLarge,
    )
    return upload.read()
