"""Read a submission instance (pure: no Django).

Instances are untrusted: DTDs, entities and external references are refused and the caller bounds
the size. Elements are matched by local name, because Collect and older forms prefix `meta` with
`orx:` while others do not.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from xml.etree.ElementTree import Element

from backend.core.xmlparse import UntrustedXmlError, parse_untrusted

ENCRYPTED_NS = "http://opendatakit.org/submissions"
MAX_ID_LENGTH = 255


class InstanceError(ValueError):
    """The XML is not a usable submission; the message says why."""


@dataclass(frozen=True)
class Instance:
    form_id: str
    version: str
    instance_id: str  # "" when the XML has none (a form without meta/instanceID)
    deprecated_id: str
    instance_name: str
    device_id: str
    encrypted: bool
    root: Element = field(repr=False)

    def elements_at(self, path: str) -> list[Element]:
        """Every element at an absolute path (/data/group/field); repeats give several, in the
        document's order."""
        return self._by_path.get(path.strip("/"), [])

    @cached_property
    def _by_path(self) -> dict[str, list[Element]]:
        """Every element under its path of local names, read in one walk of the tree: the
        merge asks for each of a form's fields, and walking the tree for each was most of
        reading them."""
        found: dict[str, list[Element]] = {}
        stack = [(self.root, _local(self.root.tag))]
        while stack:
            element, path = stack.pop()
            found.setdefault(path, []).append(element)
            # Reversed onto the stack, so children are taken in the document's order.
            stack.extend((child, f"{path}/{_local(child.tag)}") for child in reversed(element))
        return found

    def texts_at(self, path: str) -> list[str]:
        """The text of every element at an absolute path."""
        return [(node.text or "").strip() for node in self.elements_at(path)]

    def texts_under(self, paths: Iterable[str]) -> list[str]:
        """The text of every element at any of a few absolute paths, walking down only the
        branches they name: the intake reads a form's few file fields, and indexing every
        element of the visit for them cost more than parsing it."""
        branches: dict = {}
        for path in paths:
            node = branches
            for name in path.strip("/").split("/"):
                node = node.setdefault(name, {})
        level = [(self.root, branches.get(_local(self.root.tag)))]
        texts = []
        while level:
            element, below = level.pop()
            if below is None:
                continue
            if not below:
                texts.append((element.text or "").strip())
                continue
            level.extend((child, below.get(_local(child.tag))) for child in element)
        return texts

    def encrypted_files(self) -> list[str]:
        """File names an encrypted submission's manifest lists (the XML and each media file)."""
        names = [e.text or "" for e in _iter_local(self.root, "encryptedXmlFile")]
        names += [e.text or "" for e in _iter_local(self.root, "file")]
        return [name.strip() for name in names if name.strip()]


def parse_instance(xml: bytes) -> Instance:
    """Parse a submission and read its form id, version and meta block."""
    try:
        root = parse_untrusted(xml)
    except UntrustedXmlError as exc:
        raise InstanceError(str(exc)) from None
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise InstanceError("the root element has no id attribute (the form id)")
    meta = _child(root, "meta")
    # Empty when the form has no meta/instanceID: the receiving service assigns one.
    instance_id = _text(meta, "instanceID") or _text(root, "instanceID")
    deprecated_id = _text(meta, "deprecatedID")
    if deprecated_id and not instance_id:
        raise InstanceError("an edit (meta/deprecatedID) needs its own meta/instanceID")
    if len(instance_id) > MAX_ID_LENGTH or len(form_id) > MAX_ID_LENGTH:
        raise InstanceError(f"the form id or instanceID is longer than {MAX_ID_LENGTH} characters")
    return Instance(
        form_id=form_id,
        version=(root.get("version") or "").strip(),
        instance_id=instance_id,
        deprecated_id=deprecated_id,
        instance_name=_text(meta, "instanceName")[:255],
        device_id=_text(meta, "deviceID")[:255],
        encrypted=root.get("encrypted") == "yes" or root.tag.startswith(f"{{{ENCRYPTED_NS}}}"),
        root=root,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: Element | None, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _iter_local(element: Element, name: str) -> Iterator[Element]:
    return (e for e in element.iter() if _local(e.tag) == name)
