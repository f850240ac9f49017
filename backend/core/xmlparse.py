"""Parse untrusted XML (pure: no Django): no DTDs, entities or external references, readable
encodings only, and a bounded depth, so hostile documents give a clear error, never a crash."""

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

# Real forms and submissions nest a few groups deep; a hostile document could nest thousands.
MAX_DEPTH = 64


class UntrustedXmlError(ValueError):
    """The bytes are not XML this server will read; the message says why."""


def parse_untrusted(xml: bytes) -> Element:
    """Return the root element, or raise UntrustedXmlError."""
    try:
        root = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UntrustedXmlError("DTDs and entity declarations are not allowed") from None
    except ParseError as exc:
        raise UntrustedXmlError(f"malformed XML: {exc}") from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read (gbk, utf-7, ...)
        raise UntrustedXmlError(f"unreadable XML encoding: {exc}") from None
    if _depth(root) > MAX_DEPTH:
        raise UntrustedXmlError(f"the XML is nested more than {MAX_DEPTH} levels deep")
    return root


def _depth(root: Element) -> int:
    """How deeply elements nest, found without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest
