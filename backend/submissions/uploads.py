"""A submission upload read from its request: the XML part and the files, held to the limits
the server announces. The OpenRosa endpoint and the web form read uploads the same way."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from backend.submissions.errors import SubmissionInvalid, SubmissionTooLarge
from backend.submissions.services import ReceivedFile

XML_PART = "xml_submission_file"
# Collect counts only the XML and the files against the announced limit (it splits a larger
# upload over several POSTs), while the request also carries the multipart framing: a boundary
# and headers per part. Up to DATA_UPLOAD_MAX_NUMBER_FILES (250) parts with 255-character names
# take well under 1 MiB; the parts themselves are held to the limit once read. nginx's
# client_max_body_size (100 MiB) leaves more room than this above the default limit.
MULTIPART_ALLOWANCE = 1024 * 1024


def submission_parts(request: HttpRequest) -> tuple[bytes, list[ReceivedFile]]:
    """The XML part and the files of a submission upload (a phone's, or the web form's)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not (length.isascii() and length.isdigit()):  # "²".isdigit() is True
        raise SubmissionInvalid(_("The Content-Length header is not a number."))
    # Refused before the body is read: larger than any compliant upload with its framing.
    if int(length) > settings.OPENROSA_MAX_SUBMISSION_BYTES + MULTIPART_ALLOWANCE:
        raise SubmissionTooLarge(_("The submission is larger than this server accepts."))
    if not (request.content_type or "").startswith("multipart/"):
        raise SubmissionInvalid(_("Expected a multipart upload with xml_submission_file."))
    xml_file = request.FILES.get(XML_PART)
    if xml_file is None:
        raise SubmissionInvalid(_("The required part xml_submission_file is missing."))
    if xml_file.size is not None and xml_file.size > settings.OPENROSA_MAX_XML_BYTES:
        raise SubmissionTooLarge(_("The submission XML is too large."))
    uploads = [(key, f) for key, parts in request.FILES.lists() for f in parts]
    # What Collect counts against the announced limit: the XML and the files, not the framing.
    if sum(f.size or 0 for _key, f in uploads) > settings.OPENROSA_MAX_SUBMISSION_BYTES:
        raise SubmissionTooLarge(_("The submission is larger than this server accepts."))
    files = [
        ReceivedFile(name=f.name or key, file=f, content_type=f.content_type or "", field=key)
        for key, f in uploads
        if key != XML_PART
    ]
    return xml_file.read(), files
