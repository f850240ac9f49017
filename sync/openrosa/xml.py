"""The XML documents ODK Collect reads (pure: no Django).

Collect matches elements by namespace: every child must be in its document's namespace, unprefixed
(see docs/openrosa.md). ElementTree escapes text and attributes, so titles like `A & B` are safe.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element, SubElement, tostring

XFORMS_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"


@dataclass(frozen=True)
class FormListEntry:
    form_id: str
    name: str
    version: str
    md5: str
    download_url: str
    manifest_url: str | None


@dataclass(frozen=True)
class ManifestFile:
    filename: str
    md5: str
    download_url: str
    list_type: str | None = None  # "entityList" or "approvalEntityList"
    integrity_url: str | None = None


def _child(parent: Element, name: str, text: str) -> Element:
    element = SubElement(parent, name)
    element.text = text
    return element


def _root(name: str, ns: str | None, **attrs: str) -> Element:
    # Unprefixed children inherit the default namespace declared on the root, which is what
    # Collect's namespace-aware parser expects.
    return Element(name, {"xmlns": ns, **attrs} if ns else attrs)


def _document(root: Element) -> bytes:
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def form_list(entries: Iterable[FormListEntry]) -> bytes:
    """The OpenRosa form list."""
    root = _root("xforms", XFORMS_LIST_NS)
    for entry in entries:
        xform = SubElement(root, "xform")
        _child(xform, "formID", entry.form_id)
        _child(xform, "name", entry.name or entry.form_id)
        _child(xform, "version", entry.version)
        _child(xform, "hash", f"md5:{entry.md5}")
        _child(xform, "downloadUrl", entry.download_url)
        if entry.manifest_url:
            _child(xform, "manifestUrl", entry.manifest_url)
    return _document(root)


def manifest(files: Iterable[ManifestFile]) -> bytes:
    """The manifest of a form's media files and entity lists."""
    root = _root("manifest", MANIFEST_NS)
    for item in files:
        media = SubElement(root, "mediaFile", {"type": item.list_type} if item.list_type else {})
        _child(media, "filename", item.filename)
        _child(media, "hash", f"md5:{item.md5}")
        _child(media, "downloadUrl", item.download_url)
        if item.integrity_url:
            _child(media, "integrityUrl", item.integrity_url)
    return _document(root)


# Every 201 of an evening's sync carries one of two messages in one of two languages.
@lru_cache(maxsize=256)
def response_message(text: str, *, nature: str = "") -> bytes:
    """An OpenRosaResponse envelope; Collect shows the first unprefixed <message>."""
    root = _root("OpenRosaResponse", RESPONSE_NS, items="0")
    _child(root, "message", text).set("nature", nature)
    return _document(root)


def integrity(states: Mapping[str, bool]) -> bytes:
    """Which entities are deleted: `true`/`false` exactly, as Collect parses them strictly."""
    root = _root("data", None)
    entities = SubElement(root, "entities")
    for entity_id, deleted in states.items():
        entity = SubElement(entities, "entity", {"id": entity_id})
        _child(entity, "deleted", "true" if deleted else "false")
    return _document(root)
