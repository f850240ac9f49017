"""The instanceID of a submission whose form declares none (pure: no Django).

Collect fills `meta/instanceID` only when the form has it; a hand-written XForm may not, and its
submissions would otherwise have nothing to tell a retry from a new submission. As ODK Central
does, the server then makes one. It is derived from what a retry repeats exactly (the form, the
XML's bytes, the sender and the phone), so a retry, or the next part of a split upload, finds
the record the first attempt made; two fillings with identical answers from one phone are one
submission (a form that needs them apart declares meta/instanceID).
"""

import uuid

# Fixed: changing it would make the next retry of a submission received before a new record.
_NAMESPACE = uuid.UUID("6f0d4c1e-3b8a-5d2e-9c47-2a1f0e8b7d63")


def declares_instance_id(fields: dict[str, str], root: str) -> bool:
    """Whether a form's fields (path -> type, forms/xform.py) include meta/instanceID (or an
    instanceID at the top) of its primary instance `root`, which Collect then fills. A bind
    on another root's path (a mistake some hand-written forms carry) fills nothing."""
    return f"/{root}/meta/instanceID" in fields or f"/{root}/instanceID" in fields


def assigned_instance_id(*, form_pk: int, xml_sha256: str, sender: str, device: str) -> str:
    """The server's instanceID for these bytes from this sender and phone, the same each time."""
    name = "\0".join((str(form_pk), xml_sha256, sender, device))
    return f"uuid:{uuid.uuid5(_NAMESPACE, name)}"
