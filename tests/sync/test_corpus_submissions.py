"""Every form of the shared corpus that publishes takes a submission through the OpenRosa path.

For each XLSForm pyxform converts and each XForm this server serves (tests/forms/test_corpus.py
holds the rule and the refusals, each documented and tested there), the form is published, a
filled instance is built from its primary instance as Collect would send it (the required
questions answered minimally, repeat templates left out, meta/instanceID filled where the form
declares it) and posted to /submission: the answer is 201, and the submission is processed
without a server fault. Forms whose refusal at publishing is documented are left to that test.
"""

import copy
import uuid
from xml.etree import ElementTree

import pytest

from backend.submissions.models import Submission
from forms.errors import FormInvalid
from forms.services import form_publish
from tests.forms.test_corpus import XFORMS, XLSFORMS, Case, _params, _xform_refusal
from tests.sync.submissions import jpeg, multipart

pytestmark = pytest.mark.slow

JR = "http://openrosa.org/javarosa"
# A minimal answer of each XForms type (anything else is text): what Collect writes for it.
ANSWERS = {
    "int": "1",
    "integer": "1",
    "decimal": "1.5",
    "date": "2026-12-07",
    "dateTime": "2026-12-07T09:30:00.000+08:00",
    "time": "09:30:00.000+08:00",
    "geopoint": "26.5 106.7 900 5",
    "geotrace": "26.5 106.7 900 5;26.6 106.8 900 5",
    "geoshape": "26.5 106.7 900 5;26.6 106.8 900 5;26.5 106.8 900 5;26.5 106.7 900 5",
    "boolean": "true",
    "barcode": "123",
    "binary": "a.jpg",
}
PUBLISHABLE = [
    *(c for c in XLSFORMS if c.convert_ok),
    *(c for c in XFORMS if _xform_refusal(c.path.read_bytes()) is None),
]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [c for c in element if _local(c.tag) == name]


def filled_instance(xform: str) -> tuple[bytes, list[str]]:
    """The XML Collect would send for this form filled minimally, and the files it names."""
    root = ElementTree.fromstring(xform.encode("utf-8"))
    head = _children(root, "head")[0]
    model = _children(head, "model")[0]  # the first: JavaRosa reads no other
    data = copy.deepcopy(_children(model, "instance")[0][0])
    _drop_templates(data)
    files: list[str] = []
    for bind in _children(model, "bind"):
        node = _node(data, bind.get("nodeset", ""))
        if node is None or len(node) or (node.text or "").strip():
            continue
        if _local(node.tag) == "instanceID":
            node.text = f"uuid:{uuid.uuid4()}"
        elif bind.get("required", "false()").strip() not in ("false()", "", "false"):
            kind = _local(bind.get("type", "string"))
            node.text = ANSWERS.get(kind, "x")
            if kind == "binary":
                files.append(node.text)
    return ElementTree.tostring(data, encoding="utf-8"), files


def _drop_templates(element: ElementTree.Element) -> None:
    for child in list(element):
        if child.get(f"{{{JR}}}template") is not None:
            element.remove(child)
        else:
            _drop_templates(child)


def _node(data: ElementTree.Element, nodeset: str) -> ElementTree.Element | None:
    """The element an absolute, plain nodeset names (the first of a repeat), or None."""
    parts = nodeset.strip().split("/")
    if len(parts) < 3 or parts[0] or "[" in nodeset or parts[1] != _local(data.tag):
        return None
    node = data
    for part in parts[2:]:
        found = _children(node, part)
        if not found:
            return None
        node = found[0]
    return node


@pytest.mark.parametrize("case", _params(PUBLISHABLE))
def test_a_filled_instance_of_every_published_corpus_form_is_received(
    collect, project, alice, case: Case
):
    try:
        version = form_publish(project=project, source=case.upload(), published_by=alice).version
    except FormInvalid as refused:  # e.g. an id no URL can carry: documented, tested apart
        pytest.fail(f"{case.id} was refused at publishing: {refused}")
    xml, files = filled_instance(version.xform)
    attachments = [(name, jpeg()) for name in files]

    response = collect("post", "submission", data=multipart(xml, *attachments))

    assert response.status_code == 201, response.content.decode()
    submission = Submission.objects.get()
    assert submission.processing_error == ""
    assert submission.processed_at is not None
