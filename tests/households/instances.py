"""Submissions built from a published form's own primary instance, as Collect fills it."""

import copy
import uuid
from xml.etree import ElementTree

from forms.models import FormVersion

XF = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"
JR_TEMPLATE = "{http://openrosa.org/javarosa}template"


def filled_instance(
    version: FormVersion,
    values: dict[str, str],
    *,
    entity: dict[str, str],
    label: str = "",
    instance_id: str | None = None,
) -> bytes:
    """Answer the given /data/... paths, fill meta, and leave every other question blank."""
    html = ElementTree.fromstring(version.xform_bytes)
    model = html.find(
        f"{XF.replace('xforms', 'xforms')}head".replace(XF, "{http://www.w3.org/1999/xhtml}")
    )
    primary = next(iter(next(model.iter(f"{XF}instance"))))
    root = copy.deepcopy(primary)
    for parent in root.iter():
        for child in list(parent):
            if child.get(JR_TEMPLATE) is not None:
                parent.remove(child)
    for path, value in values.items():
        element = _at(root, path)
        element.text = value
    meta = _at(root, "/data/meta")
    _at(root, "/data/meta/instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    entity_el = meta.find(f"{XF}entity")
    if entity_el is None:  # a form that declares no entity (the village look-back review)
        assert not entity, entity
        return ElementTree.tostring(root, encoding="utf-8")
    for key, value in entity.items():
        entity_el.set(key, value)
    label_el = entity_el.find(f"{XF}label")
    if label_el is not None:
        label_el.text = label
    return ElementTree.tostring(root, encoding="utf-8")


def _at(root: ElementTree.Element, path: str) -> ElementTree.Element:
    element = root
    for part in path.strip("/").split("/")[1:]:
        element = element.find(f"{XF}{part}")
        assert element is not None, path
    return element
