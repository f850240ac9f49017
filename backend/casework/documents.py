"""The documents and signatures of a case's steps: stored by their content
(backend/core/storage.py), kept with the case and the step they were given for."""

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.casework.errors import CaseRecordInvalid
from backend.casework.kinds import SIGNATORIES, step_spec
from backend.casework.models import AttachmentRole, Case, CaseAttachment
from backend.casework.services import open_case_locked
from backend.core.storage import store_file

# A scan of a signed form or a photo of a notice board: larger is a mistake.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic(durable=True)
def case_document_add(
    *,
    case: Case,
    actor: User,
    role: str,
    file: File[bytes],
    name: str,
    content_type: str = "",
    signer_role: str = "",
    signer_name: str = "",
) -> CaseAttachment:
    """Add a document or a signature to the step the case waits at; the level deciding that
    step gives them."""
    case = open_case_locked(case, actor)
    spec = step_spec(case.kind, case.step)
    if role not in AttachmentRole.values:
        raise CaseRecordInvalid(_("Unknown kind of document."))
    if role == AttachmentRole.SIGNATURE and signer_role not in spec.signatories:
        raise CaseRecordInvalid(
            _("This step is signed by: %(names)s.")
            % {"names": ", ".join(str(SIGNATORIES[code]) for code in spec.signatories) or "-"}
        )
    size = file.size or 0
    if not 0 < size <= MAX_DOCUMENT_BYTES:
        raise CaseRecordInvalid(
            _("A document is between 1 byte and %(mb)d MB.")
            % {"mb": MAX_DOCUMENT_BYTES // 1024 // 1024}
        )
    stored = store_file(file, prefix="casework")
    return CaseAttachment.objects.create(
        case=case,
        step=spec.code,
        role=role,
        signer_role=signer_role if role == AttachmentRole.SIGNATURE else "",
        signer_name=signer_name.strip()[:100],
        name=(name or "document").strip()[:255],
        content_type=content_type[:100],
        path=stored.path,
        sha256=stored.sha256,
        size=stored.size,
        uploaded_by=actor,
    )
