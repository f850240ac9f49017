"""A browser or API upload read into memory, refused before reading when it is too large."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from backend.core.upload_size import refuse_oversized
from forms.errors import FormTooLarge
from forms.services import Upload


def read_upload(upload: UploadedFile[bytes]) -> Upload:
    """The upload's name and bytes; FormTooLarge when it exceeds FORMS_MAX_UPLOAD_BYTES."""
    # Check the size Django already knows before reading the file into memory.
    refuse_oversized(
        name=upload.name,
        size=upload.size,
        limit=settings.FORMS_MAX_UPLOAD_BYTES,
        error=FormTooLarge,
    )
    return Upload(name=upload.name or "upload", content=upload.read())
