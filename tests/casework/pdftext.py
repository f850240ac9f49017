"""The text a PDF shows, read without a PDF library: the strings of its uncompressed content
streams' text operators, decoded from the PDF literal syntax (UTF-16BE for the CID font of
backend/casework/notice_pdf.py, Latin-1 otherwise)."""

import re

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def literal(raw: bytes) -> bytes:
    """The bytes a PDF literal string (without its parentheses) stands for."""
    out, i = bytearray(), 0
    while i < len(raw):
        char = raw[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def _decoded(data: bytes) -> str:
    if len(data) % 2 == 0:
        try:
            return data.decode("utf-16-be")
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def pdf_text(pdf: bytes) -> str:
    """Every string the pages show, one a line."""
    assert b"/FlateDecode" not in pdf, "the PDF's streams are compressed"
    shown = []
    for stream in _STREAM.findall(pdf):
        shown += [_decoded(literal(raw)) for raw in _SHOWN.findall(stream)]
    return "\n".join(shown)
