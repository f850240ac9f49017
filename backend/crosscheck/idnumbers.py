"""Citizen ID numbers (GB 11643) made comparable without keeping them: normalised to the 18-digit
form, checked, and replaced by a keyed hash (pure: no Django).

A 15-digit number (issued before 1999) becomes its 18-digit form: "19" is put before the
two-digit year of birth and the check digit is computed. An 18-digit number must carry the right
check digit (the last character, 0-9 or X). Anything else is not an ID number.
"""

import hmac
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# The weighted sum over the digits' ASCII codes exceeds that over their values by this.
_CODES_OVER = ord("0") * sum(_WEIGHTS)


def check_digit(first17: str) -> str:
    """The check character of the 17 digits before it."""
    # map() over the ASCII codes: a department's file checks a million of these, and the
    # bytes need no int() per digit.
    return _CHECK[(sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _CODES_OVER) % 11]


def normalised(raw: object) -> str | None:
    """The 18-character form of an ID number, or None when it is not one: spaces and dashes are
    ignored, a lower-case x is read as X."""
    if isinstance(raw, str) and len(raw) == 18 and raw.isascii() and raw[:17].isdigit():
        # Already written as one: most rows of a department's file.
        text = raw.upper()
        return text if text[17] == check_digit(text[:17]) else None
    text = "".join(str(raw or "").split()).replace("-", "").upper()
    if len(text) == 15 and text.isascii() and text.isdigit():
        first17 = f"{text[:6]}19{text[6:]}"
        return first17 + check_digit(first17)
    if len(text) != 18 or not text.isascii() or not text[:17].isdigit():
        return None
    return text if text[17] == check_digit(text[:17]) else None


def id_key(number: str, secret: bytes) -> str:
    """The keyed hash that stands for a normalised ID number: HMAC-SHA256, hex. Without the
    server's secret nobody can test a guessed number against it."""
    return id_digest(number, secret).hex()


def id_digest(number: str, secret: bytes) -> bytes:
    """The keyed hash's bytes (id_key is their hex)."""
    return hmac.digest(secret, number.encode("ascii"), "sha256")
