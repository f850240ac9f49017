"""A browser or API upload read into memory, refused before reading when it is too large."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from forms.errors import FormTooLarge
from forms.services import Upload


def read_upload(upload: UploadedFile[bytes]) -> Upload:
    """The upload's name and bytes; FormTooLarge when it exceeds FORMS_MAX_UPLOAD_BYTES."""
    # Check the size Django already knows before reading the file into memory.
    limit = settings.FORMS_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise FormTooLarge(
            _("%(name)s is larger than the limit of %(mb)s MB.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)}
        )
    return Upload(name=upload.name or "upload", content=upload.read())
