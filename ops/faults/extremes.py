"""Extreme answers for every question of the library forms, and the filled forms that carry
them: a plausible instance of the published form with one answer replaced.

The questions and their types are the server's own reading of the published XForm
(FormVersion.fields, and forms.questions for the select questions and their choices). Each
question gets values of its type; values an XML document cannot carry (control characters)
are in the set too: the server must refuse them with a 4xx.
"""

from __future__ import annotations

import copy
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from backend.core.xmlparse import parse_untrusted
from forms.models import FormVersion
from forms.questions import read_questions
from ops.faults.forms import Filled, Photos

NUMBERS = [
    *("-1", "-0", "0", "12.5", "32767", "32768", "40000", "2147483647", "2147483648"),
    *("-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809"),
    *("20000000000", "9999999999.995", "1" + "0" * 400, "1e400", "-1e400", "NaN", "Infinity"),
    *("-Infinity", "1.7976931348623157e308", "4.9e-324", "0x10", "1_000", " 7 ", "١٢٣", ""),
    "abc",
]
DATES = [
    *("2026-02-30", "2026-13-01", "2025-02-29", "0000-01-01", "0001-01-01", "9999-12-31"),
    *("10000-01-01", "-0001-01-01", "2026-1-1", "2026-03-01T10:00:00", "", "1e400"),
]
DATETIMES = [
    *("2026-02-30T10:00:00.000+08:00", "2026-13-01T10:00:00.000+08:00"),
    *("2026-03-01T10:00:00.000+25:00", "2026-03-01T10:00:00.000-24:00"),
    *("2026-03-01T24:00:00.000+08:00", "2026-03-01T10:61:00.000+08:00"),
    *("0001-01-01T00:00:00.000+14:00", "9999-12-31T23:59:59.999-14:00"),
    *("2026-03-01T10:00:00", "2026-03-01", "", "NaN", "1e400"),
]
TIMES = ["25:00:00.000+08:00", "10:00:00.000+25:00", "24:00:00", "", "noon"]
GEOPOINTS = [
    *("91 0 0 0", "-90.0000001 0 0 0", "0 181 0 0", "0 -180.5 0 0", "NaN NaN 0 0"),
    *("Infinity -Infinity 0 0", "1e400 1e400 1e400 1e400", "26.5", "26.5 106.7"),
    *("26.5 106.7 0 -1", "26.5 106.7 0 NaN", "a b c d", "26.5  106.7  0  5"),
    *("26.5 106.7 0 5 extra", "", "0 0 0 0", "26,5 106,7 0 5"),
]
STRINGS = [
    *("", " ", "x" * 100_000, "长" * 20_000, "\t\r\n", "\x7f\u0085", "\u202eRTL override"),
    *("zero\u200bwidth\u200d\ufeff", "e\u0301" * 1000, "😀" * 1000, "\x01 control", "\uffff"),
    *("<script>alert(1)</script>", "'; DROP TABLE submissions_submission; --", "${hh}"),
    *("NaN", "null", "../../../etc/passwd", "\u2028\u2029", "%00", "x" * 256),
]
CHOICES = ["not_a_choice", "", "yes no", "yes yes yes", " ".join(["a"] * 1000), "YES", "1"]
# Names of the files an image (or other file) question names; the part is sent under the same
# name, as Collect does.
FILE_NAMES = [
    *("photo.JPG", "名字 照片.jpg", "a b  c.jpg", "../../etc/passwd.jpg", "a/b.jpg", "a\\b.jpg"),
    *('quote"d.jpg', "semi;colon.jpg", "percent%2Fslash.jpg", "zero\u200bwidth.jpg"),
    *("bidi\u202egpj.exe", "x" * 251 + ".jpg", "x" * 300 + ".jpg", ".jpg", "CON", "emoji😀.jpg"),
    *("tab\tname.jpg", "new\nline.jpg"),
]
VALUES = {
    "int": NUMBERS,
    "decimal": NUMBERS,
    "date": DATES,
    "dateTime": DATETIMES,
    "time": TIMES,
    "geopoint": GEOPOINTS,
    "geotrace": GEOPOINTS,
    "geoshape": GEOPOINTS,
    "select_one": CHOICES,
    "select_multiple": CHOICES,
    "image": FILE_NAMES,
    "binary": FILE_NAMES,
    "string": STRINGS,
}
# A question gets this many values of its type, in turn, so that every value is used; one
# saved to a household property gets all of them (those reach the registry's typed columns),
# or for text the ones that test its columns' lengths and what a list shows.
PER_QUESTION = 3
PROPERTY_STRINGS = ["", "x" * 256, "x" * 100_000, "长" * 20_000, "\u202eRTL", "a\u200bb\ufeff"]
# The instance's identity: the burst case and the protocol tests cover it.
_IDENTITY = {"instanceID", "deprecatedID"}

PLAUSIBLE = {
    "int": "3",
    "decimal": "1200.5",
    "date": "2026-03-01",
    "dateTime": "2026-03-01T10:00:00.000+08:00",
    "time": "10:00:00.000+08:00",
    "geopoint": "26.505 106.705 900 5",
}
# Answers the merge looks up: a village of the demo project, its township.
_KNOWN = {"village": "demo-v01", "township": "demo-t01"}
_UNIQUE = {"hh_code"}


@dataclass(frozen=True)
class Question:
    path: str
    kind: str
    choices: tuple[str, ...] = ()


def questions(version: FormVersion) -> list[Question]:
    """Every answer of the form: its path and type, with the choices of select questions."""
    read = {q.path: q for q in read_questions(version.xform_bytes).questions}
    found = []
    for path, kind in version.fields.items():
        if kind == "repeat" or path.rsplit("/", 1)[-1] in _IDENTITY:
            continue
        question = read.get(path)
        choices = tuple(c.value for c in question.choices) if question else ()
        found.append(Question(path, question.kind if question else kind, choices))
    return found


def extreme_answers(version: FormVersion) -> Iterator[tuple[Question, str]]:
    """(question, value) for every question: values of its type (see PER_QUESTION)."""
    saved = {
        path
        for declaration in version.entities.get("declarations", [])
        for path in declaration.get("properties", {})
    }
    all_questions = questions(version)
    for kind, values in VALUES.items():
        of_kind = [q for q in all_questions if q.kind == kind]
        share = max(PER_QUESTION, math.ceil(len(values) / max(len(of_kind), 1)))
        for index, question in enumerate(of_kind):
            picked = [values[(index * share + k) % len(values)] for k in range(share)]
            if question.path in saved:
                picked = PROPERTY_STRINGS if kind == "string" else values
            for value in picked:
                yield question, value


class Instances:
    """Plausible filled instances of one published form, for one household."""

    def __init__(self, version: FormVersion, photos: Photos) -> None:
        self.version = version
        self.form_id = version.form.xml_form_id
        self.photos = photos
        self.template = _primary_instance(version.xform_bytes)
        self.plausible = {q.path: _plausible(q) for q in questions(version)}
        # A household code is unique in a project: each new household gets its own, or the
        # registrations after the first would be refused for it, whatever their answers.
        self.unique = [p for p in self.plausible if p.rsplit("/", 1)[-1] in _UNIQUE]

    def filled(
        self, question: Question, value: str, *, household: tuple[str, int] | None
    ) -> Filled:
        """The plausible instance with `value` as the question's answer."""
        root = copy.deepcopy(self.template)
        for path, answer in self.plausible.items():
            _set(root, path, answer)
        for path in self.unique:
            _set(root, path, f"FX{uuid.uuid4().hex[:10].upper()}")
        files = {}
        if question.kind in {"image", "binary"} and value:
            files[value] = self.photos.take(3_000)
        _set(root, question.path, value)
        merges = _entity(root, household)
        xml = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
        label = f"{self.form_id} {question.path.removeprefix('/data/')}={_short(value)}"
        return Filled(xml, files, merges=merges, label=label)


def _primary_instance(xform: bytes) -> Element:
    """The form's primary instance as Collect submits it: local names (no XForms namespace),
    repeat templates dropped, one copy of each repeat kept."""
    model = next(e for e in parse_untrusted(xform).iter() if _local(e.tag) == "model")
    instance = next(e for e in model if _local(e.tag) == "instance")
    root = copy.deepcopy(next(iter(instance)))
    elements = list(root.iter())
    for element in elements:
        element.tag = _local(element.tag)
    for element in elements:
        for child in list(element):
            template = [k for k in child.attrib if _local(k) == "template"]
            if template and _has_twin(element, child):
                element.remove(child)
            for key in template:
                child.attrib.pop(key, None)
    return root


def _has_twin(parent: Element, child: Element) -> bool:
    return sum(1 for c in parent if _local(c.tag) == _local(child.tag)) > 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _plausible(question: Question) -> str:
    name = question.path.rsplit("/", 1)[-1]
    if name in _KNOWN:
        return _KNOWN[name]
    if question.choices:
        return question.choices[0]
    if question.kind in {"image", "binary"}:
        return ""
    return PLAUSIBLE.get(question.kind, f"测试 {name}")


def _set(root: Element, path: str, value: str) -> None:
    """Answer the first element at the path (the first copy of a repeat)."""
    element = root
    for part in path.strip("/").split("/")[1:]:
        found = next((c for c in element if c.tag == part), None)
        if found is None:
            return
        element = found
    element.text = value


def _entity(root: Element, household: tuple[str, int] | None) -> bool:
    """Fill meta: a new instanceID, and the household block (a new household when `household`
    is None); True when the form creates or updates a household."""
    meta = next(c for c in root if c.tag == "meta")
    _set(root, "/data/meta/instanceID", f"uuid:{uuid.uuid4()}")
    entity = next((c for c in meta if c.tag == "entity"), None)
    if entity is None:
        return False
    if household is None:
        entity.attrib.update(create="1", id=str(uuid.uuid4()))
        label = next((c for c in entity if c.tag == "label"), None)
        if label is not None and not (label.text or "").strip():
            label.text = "极端值 extreme"
        return True
    entity_id, version = household
    entity.attrib.update(update="1", id=entity_id, baseVersion=str(version))
    _set(root, "/data/hh", entity_id)
    return True


def _short(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}...({len(value)} chars)"
