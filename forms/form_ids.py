"""What a form id may hold (pure: no Django).

A form id is one segment of the URLs phones and pages use (`forms/<id>/<md5>/form.xml`), and of
the path its files are stored under. A `/` would split the segment (no URL can be built for it),
`\\` is a separator to some clients and to Windows paths, a control character cannot be typed or
shown, and `.` or `..` alone are removed from a URL by the client before it is sent.
"""

import unicodedata

_SEPARATORS = frozenset("/\\")
_DOT_SEGMENTS = frozenset({".", ".."})


def unsafe_characters(form_id: str) -> list[str]:
    """The characters of the id that cannot be part of a URL segment, each once, in order."""
    found: list[str] = []
    for char in form_id:
        bad = char in _SEPARATORS or unicodedata.category(char).startswith("C")
        if bad and char not in found:
            found.append(char)
    return found


def is_addressable(form_id: str) -> bool:
    """Whether the id can be one segment of a URL as it is."""
    return bool(form_id) and form_id not in _DOT_SEGMENTS and not unsafe_characters(form_id)


def shown(chars: list[str]) -> str:
    """The characters as a reader can see them: a control character by its code point."""
    return " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in chars)
