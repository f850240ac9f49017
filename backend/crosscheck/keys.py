"""The server's key for the hashes of ID numbers, and the hash of one number as stored."""

import hashlib

from django.conf import settings

from backend.crosscheck.idnumbers import id_key, normalised


def id_secret() -> bytes:
    """settings.ID_HASH_KEY, or a key derived from SECRET_KEY when it is not set."""
    if settings.ID_HASH_KEY:
        return settings.ID_HASH_KEY.encode()
    return hashlib.sha256(b"id-numbers:" + settings.SECRET_KEY.encode()).digest()


def id_hash(raw: object, secret: bytes | None = None) -> str:
    """The keyed hash of an ID number as written anywhere; "" when it is not an ID number."""
    number = normalised(raw)
    return id_key(number, secret or id_secret()) if number else ""
