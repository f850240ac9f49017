"""Reading an imported file on the admin pages, refused before reading when it is too large."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from backend.core.errors import DomainError


class ImportTooLarge(DomainError):
    code = "import.too_large"
    status = 413


def read_import(upload: UploadedFile) -> bytes:
    """The file's bytes; ImportTooLarge above IMPORT_MAX_UPLOAD_BYTES."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ImportTooLarge(
            _("%(name)s is larger than the limit of %(mb)s MB.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)}
        )
    return upload.read()
