"""Read what the server needs from an XForm (pure: no Django).

The XForm is untrusted (admins may upload one directly), so it is parsed with DTDs, entities and
external references forbidden, and the caller bounds its size.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from backend.core.xmlparse import UntrustedXmlError, parse_untrusted

XFORMS_NS = "http://www.w3.org/2002/xforms"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ENTITIES_NS = "http://www.opendatakit.org/xforms/entities"

# The entities spec versions this server understands; others are refused, as the spec requires.
SUPPORTED_ENTITIES_VERSIONS = ("2022.1", "2023.1", "2024.1", "2025.1")
_ENTITIES_VERSION = re.compile(r"^(?P<major>\d{4}\.\d+)(\.\d+)?$")

_MEDIA_REF = re.compile(r"^jr://(images|audio|video|file|file-csv)/(.+)$")
_MEDIA_KIND = {"images": "image", "audio": "audio", "video": "video"}


class XFormError(ValueError):
    """The document is not an XForm this server can serve; the message says why."""


@dataclass(frozen=True)
class MediaRef:
    """A file the form expects next to it on the phone."""

    name: str
    kind: str  # image | audio | video | file


@dataclass(frozen=True)
class EntityDeclaration:
    """One `meta/entity` element: which list the form writes to and how."""

    dataset: str
    path: str  # the path of the container (root, group or repeat) that holds this meta/entity
    create: bool
    update: bool
    properties: dict[str, str] = field(default_factory=dict)  # field path -> property name

    def as_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "path": self.path,
            "create": self.create,
            "update": self.update,
            "properties": self.properties,
        }


@dataclass(frozen=True)
class XFormInfo:
    form_id: str
    version: str
    title: str
    entities_version: str | None
    entities: list[EntityDeclaration]
    media: list[MediaRef]
    encrypted: bool
    # Every bound field's path with its XForms type (string, int, geopoint, binary, ...); image
    # questions are "image" and repeat groups "repeat".
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def entity_lists(self) -> set[str]:
        return {decl.dataset for decl in self.entities}


def read_xform(xml: bytes) -> XFormInfo:
    """Parse an XForm and return its id, version, title, entity declarations and media."""
    root = _parse(xml)
    if _local(root.tag) != "html":
        raise XFormError("not an XForm: the root element must be <h:html>")
    head = _child(root, "head")
    model = _child(head, "model") if head is not None else None
    if head is None or model is None:
        raise XFormError("not an XForm: <h:head> with a <model> is missing")
    instance = _primary_instance(model)
    form_id = instance.get("id", "").strip()
    if not form_id:
        raise XFormError("the primary instance has no id attribute (the form id)")
    title_el = _child(head, "title")
    entities_version = model.get(f"{{{ENTITIES_NS}}}entities-version")
    _check_entities_version(entities_version)
    return XFormInfo(
        form_id=form_id,
        version=instance.get("version", "").strip(),
        title=(title_el.text or "").strip() if title_el is not None else "",
        entities_version=entities_version,
        entities=_entity_declarations(model, instance),
        media=_media_refs(root),
        encrypted=_is_encrypted(model),
        fields=_field_types(model, _child(root, "body")),
    )


def _parse(xml: bytes) -> Element:
    try:
        return parse_untrusted(xml)
    except UntrustedXmlError as exc:
        raise XFormError(str(exc)) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _primary_instance(model: Element) -> Element:
    """The primary instance is the model's first <instance>, whether or not it has an id."""
    instance = _child(model, "instance")
    root = next(iter(instance), None) if instance is not None else None
    if root is None:
        raise XFormError("the model has no primary <instance>")
    return root


def _check_entities_version(version: str | None) -> None:
    if version is None:
        return
    match = _ENTITIES_VERSION.match(version)
    if match is None or match.group("major") not in SUPPORTED_ENTITIES_VERSIONS:
        raise XFormError(
            f"entities spec version {version} is not supported "
            f"(supported: {', '.join(SUPPORTED_ENTITIES_VERSIONS)})"
        )


def _walk(element: Element, path: str) -> Iterator[tuple[Element, str]]:
    """Yield every element of the instance with its absolute path (/data/group/field)."""
    here = f"{path}/{_local(element.tag)}"
    yield element, here
    for child in element:
        yield from _walk(child, here)


def _entity_declarations(model: Element, instance: Element) -> list[EntityDeclaration]:
    containers: dict[str, tuple[str, Element]] = {}
    for element, path in _walk(instance, ""):
        parts = path.rsplit("/", 2)
        if _local(element.tag) == "entity" and len(parts) == 3 and parts[1] == "meta":
            containers[parts[0]] = (element.get("dataset", "").strip(), element)
    saveto = _saveto_by_container(model, list(containers))
    return [
        EntityDeclaration(
            dataset=dataset,
            path=container,
            create="create" in element.attrib,
            update="update" in element.attrib,
            properties=saveto.get(container, {}),
        )
        for container, (dataset, element) in containers.items()
    ]


def _saveto_by_container(model: Element, containers: list[str]) -> dict[str, dict[str, str]]:
    """Give each `entities:saveto` bind to the nearest container that declares an entity."""
    found: dict[str, dict[str, str]] = {}
    by_depth = sorted(containers, key=len, reverse=True)
    for bind in model:
        prop = bind.get(f"{{{ENTITIES_NS}}}saveto")
        nodeset = bind.get("nodeset", "")
        if _local(bind.tag) != "bind" or not prop:
            continue
        owner = next((c for c in by_depth if nodeset.startswith(f"{c}/")), None)
        if owner is None:
            raise XFormError(f"{nodeset} saves to {prop!r} but no entity declaration encloses it")
        found.setdefault(owner, {})[nodeset] = prop
    return found


def _field_types(model: Element, body: Element | None) -> dict[str, str]:
    """Map each bind's nodeset to its type; binds without a type are strings."""
    types: dict[str, str] = {}
    for bind in model:
        nodeset = bind.get("nodeset", "")
        if _local(bind.tag) == "bind" and nodeset.startswith("/") and "@" not in nodeset:
            types[nodeset] = _local(bind.get("type", "string"))
    for element in body.iter() if body is not None else ():
        tag, ref = _local(element.tag), element.get("ref") or element.get("nodeset") or ""
        if tag == "upload" and element.get("mediatype", "").startswith("image/"):
            types[ref] = "image"
        elif tag == "repeat" and ref:
            types[ref] = "repeat"
    return types


def _media_refs(root: Element) -> list[MediaRef]:
    refs: dict[str, MediaRef] = {}
    for element in root.iter():
        values = [element.text or "", *element.attrib.values()]
        for value in values:
            match = _MEDIA_REF.match(value.strip())
            if match and match.group(2) not in refs:
                kind = _MEDIA_KIND.get(match.group(1), "file")
                refs[match.group(2)] = MediaRef(name=match.group(2), kind=kind)
    return sorted(refs.values(), key=lambda ref: ref.name)


def _is_encrypted(model: Element) -> bool:
    submission = _child(model, "submission")
    return submission is not None and bool(submission.get("base64RsaPublicKey"))


# `instance('households')`, and pulldata('households', 'column', 'key column', value) of a
# csv-external instance.
_INSTANCE_CALL = re.compile(r"instance\(\s*(['\"])(?P<name>[^'\"]*)\1\s*\)")
_ITEMS = re.compile(r"\s*/\s*root\s*/\s*item")
_STEP = re.compile(r"\s*/\s*(?P<name>[A-Za-z_][\w.\-]*)")
_PULLDATA = re.compile(
    r"pulldata\(\s*(['\"])(?P<list>[^'\"]*)\1\s*,\s*(['\"])(?P<column>[^'\"]*)\3\s*,"
    r"\s*(['\"])(?P<key>[^'\"]*)\5"
)
# What a predicate holds besides the list's own columns: strings, paths into the form (absolute,
# relative or from current()), other instances, functions and operators.
_NOT_COLUMNS = re.compile(
    r"'[^']*'|\"[^\"]*\"|instance\([^)]*\)(\s*/\s*[\w.\-]+|\[[^\]]*\])*|current\(\)(/[\w.\-]+)*"
    r"|\.\.?(/[\w.\-]+)*|/[\w.\-/]*|\$\{[^}]*\}|[A-Za-z_][\w.\-]*(?=\s*\()"
)
_NAME = re.compile(r"(?<![\w.\-:@])[A-Za-z_][\w.\-]*")
_OPERATORS = frozenset({"and", "or", "div", "mod"})


def list_columns_read(xml: bytes, list_name: str) -> set[str]:
    """The columns of the entity list `list_name` that an XForm reads: the property after
    `instance('<list>')/root/item[...]`, the names its predicates compare, an itemset's value and
    label, and pulldata()'s column and key. Empty when the form does not read the list."""
    root = _parse(xml)
    found: set[str] = set()
    for element in root.iter():
        for value in [element.text or "", *element.attrib.values()]:
            if list_name in value:
                found |= _columns_in(value, list_name)
        if _local(element.tag) == "itemset" and _reads_list(element.get("nodeset", ""), list_name):
            found |= {c.get("ref", "") for c in element if _local(c.tag) in ("value", "label")}
    return {name for name in found if name}


def external_instances(xml: bytes) -> dict[str, str]:
    """The secondary instances the form loads from its attachments: instance id -> file name
    (`<instance id="villages" src="jr://file-csv/villages.csv"/>`)."""
    head = _child(_parse(xml), "head")
    model = _child(head, "model") if head is not None else None
    found: dict[str, str] = {}
    for instance in model if model is not None else ():
        source = instance.get("src", "").strip()
        if _local(instance.tag) == "instance" and instance.get("id") and source:
            found[instance.get("id", "")] = source.rsplit("/", 1)[-1]
    return found


def list_questions(xml: bytes, list_name: str) -> list[str]:
    """The questions that choose an item of the list `list_name` (a select whose itemset reads
    `instance('<list>')`), as the paths of their answers, in the form's order."""
    root = _parse(xml)
    found: list[str] = []
    for element in root.iter():
        if _local(element.tag) not in ("select1", "select") or not element.get("ref"):
            continue
        itemset = _child(element, "itemset")
        if itemset is not None and _reads_list(itemset.get("nodeset", ""), list_name):
            found.append(element.get("ref", ""))
    return found


def _reads_list(expression: str, list_name: str) -> bool:
    return any(m.group("name") == list_name for m in _INSTANCE_CALL.finditer(expression))


def _columns_in(expression: str, list_name: str) -> set[str]:
    found = {
        name
        for m in _PULLDATA.finditer(expression)
        if m.group("list") == list_name
        for name in (m.group("column"), m.group("key"))
    }
    for call in _INSTANCE_CALL.finditer(expression):
        if call.group("name") == list_name:
            found |= _columns_after(expression, call.end())
    return found


def _columns_after(expression: str, start: int) -> set[str]:
    """The columns read by the path that starts at `start`, just after `instance('<list>')`."""
    items = _ITEMS.match(expression, start)
    if items is None:
        return set()
    found: set[str] = set()
    position = items.end()
    while (bracket := _next_bracket(expression, position)) is not None:
        end = _closing(expression, bracket)
        found |= _predicate_columns(expression[bracket + 1 : end])
        position = end + 1
    step = _STEP.match(expression, position)
    if step is not None:
        found.add(step.group("name"))
    return found


def _next_bracket(expression: str, position: int) -> int | None:
    rest = expression[position:]
    stripped = rest.lstrip()
    return position + len(rest) - len(stripped) if stripped.startswith("[") else None


def _closing(expression: str, bracket: int) -> int:
    depth, quote = 0, ""
    for index in range(bracket, len(expression)):
        char = expression[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
    return len(expression)


def _predicate_columns(predicate: str) -> set[str]:
    cleaned = _NOT_COLUMNS.sub(" ", predicate)
    return {name for name in _NAME.findall(cleaned) if name not in _OPERATORS}
