"""Read an XForm's questions in order, with their labels and choices per language (pure: no
Django).

Exports need what `forms.xform` leaves out: the order of the questions, which ones are repeats,
the labels in each itext translation and the choice lists. Labels may be inline (`<label>Name`)
or itext references (`jr:itext('/data/name:label')`); choices may be inline `<item>`s or an
itemset over a secondary instance whose items carry an `itextId` or a `label`.
"""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from backend.core.xmlparse import UntrustedXmlError, parse_untrusted
from forms.xform import XFormError

_ITEXT_REF = re.compile(r"""^\s*jr:itext\(\s*['"](?P<id>[^'"]+)['"]\s*\)\s*$""")
_INSTANCE_ITEMSET = re.compile(r"""^\s*instance\(\s*['"](?P<id>[^'"]+)['"]\s*\)/root/item""")
# Language names pyxform writes, "English (en)"; the part in brackets is the code.
_LANGUAGE_CODE = re.compile(r"\((?P<code>[A-Za-z-]+)\)\s*$")
DEFAULT = ""  # the language key of labels written without a translation
_CONTROLS = {"input", "select1", "select", "upload", "trigger", "range", "rank", "odk:rank"}


@dataclass(frozen=True)
class Choice:
    value: str
    labels: dict[str, str]  # language -> label

    def label(self, language: str) -> str:
        """The label in a language, else the default one, else the value."""
        return self.labels.get(language) or self.labels.get(DEFAULT) or self.value


@dataclass(frozen=True)
class Question:
    """One answer the instance holds (not a group, not a note)."""

    path: str  # /data/group/name
    kind: str  # bind type (string, int, geopoint...), image, select_one, select_multiple, repeat
    labels: dict[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    repeat: str = ""  # the innermost enclosing repeat's path; "" at the root

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def key(self, root: str) -> str:
        """The key in Submission.fields: the path relative to the enclosing repeat (or root)."""
        return self.path.removeprefix(f"{self.repeat or root}/")

    def label(self, language: str) -> str:
        """The label in a language, else the default one, else the name."""
        return self.labels.get(language) or self.labels.get(DEFAULT) or self.name


@dataclass(frozen=True)
class FormQuestions:
    root: str  # /data
    languages: list[str]  # translation names in document order ([] for an untranslated form)
    questions: list[Question]

    def in_container(self, container: str) -> list[Question]:
        """Questions directly in the root ("") or in a repeat, in document order."""
        return [q for q in self.questions if q.repeat == container]


def read_questions(xml: bytes) -> FormQuestions:
    """Return the questions of an XForm in document order with labels and choices."""
    try:
        html = parse_untrusted(xml)
    except UntrustedXmlError as exc:
        raise XFormError(str(exc)) from None
    head, body = _child(html, "head"), _child(html, "body")
    model = _child(head, "model") if head is not None else None
    instance = _child(model, "instance") if model is not None else None
    primary = next(iter(instance), None) if instance is not None else None
    if model is None or primary is None:
        raise XFormError("not an XForm: the model or its primary instance is missing")
    itext = _itext(model)
    binds = _binds(model)
    controls = _controls(body, itext, _secondary_instances(model)) if body is not None else {}
    root = f"/{_local(primary.tag)}"
    questions = list(_walk(primary, root, "", binds, controls))
    return FormQuestions(root=root, languages=list(itext), questions=questions)


def language_code(language: str) -> str:
    """The code in a pyxform language name ("English (en)" -> "en"), else the name itself."""
    match = _LANGUAGE_CODE.search(language)
    return match.group("code") if match else language


def merge_questions(newest_first: list[FormQuestions]) -> FormQuestions:
    """Join the questions of several versions: the newest order, then what only older ones had."""
    if not newest_first:
        raise XFormError("no form version to read")
    base = newest_first[0]
    seen = {q.path for q in base.questions}
    questions = list(base.questions)
    languages = list(base.languages)
    for older in newest_first[1:]:
        languages += [lang for lang in older.languages if lang not in languages]
        for question in older.questions:
            if question.path not in seen:
                seen.add(question.path)
                questions.append(question)
    return FormQuestions(root=base.root, languages=languages, questions=questions)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _itext(model: Element) -> dict[str, dict[str, str]]:
    """language -> text id -> the plain text of its default (non-media) value."""
    itext = _child(model, "itext")
    out: dict[str, dict[str, str]] = {}
    for translation in itext if itext is not None else ():
        texts = out.setdefault(translation.get("lang", DEFAULT), {})
        for text in translation:
            values = [v for v in text if _local(v.tag) == "value" and not v.get("form")]
            if values:
                texts[text.get("id", "")] = _text_content(values[0])
    return out


def _text_content(element: Element) -> str:
    """Text with `<output value="..."/>` shown as `${name}`, as the form author wrote it."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) == "output":
            ref = child.get("value", "").strip()
            parts.append("${" + ref.rsplit("/", 1)[-1] + "}")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _binds(model: Element) -> dict[str, Element]:
    return {
        b.get("nodeset", ""): b
        for b in model
        if _local(b.tag) == "bind" and "@" not in b.get("nodeset", "")
    }


def _secondary_instances(model: Element) -> dict[str, list[Element]]:
    out: dict[str, list[Element]] = {}
    for instance in model:
        if _local(instance.tag) == "instance" and instance.get("id"):
            root = next(iter(instance), None)
            out[instance.get("id", "")] = list(root) if root is not None else []
    return out


@dataclass
class _Control:
    tag: str
    labels: dict[str, str]
    choices: tuple[Choice, ...]
    mediatype: str


def _controls(
    body: Element, itext: dict[str, dict[str, str]], instances: dict[str, list[Element]]
) -> dict[str, _Control]:
    out: dict[str, _Control] = {}
    for element in body.iter():
        tag = _local(element.tag)
        ref = element.get("ref") or element.get("nodeset") or ""
        if not ref or tag not in {*_CONTROLS, "group", "repeat"}:
            continue
        labels = _labels(_child(element, "label"), itext)
        if tag == "repeat" and not labels and ref in out:
            labels = out[ref].labels  # pyxform labels the group around the repeat
        out[ref] = _Control(
            tag=tag,
            labels=labels,
            choices=_choices(element, itext, instances),
            mediatype=element.get("mediatype", ""),
        )
    return out


def _labels(label: Element | None, itext: dict[str, dict[str, str]]) -> dict[str, str]:
    if label is None:
        return {}
    match = _ITEXT_REF.match(label.get("ref", ""))
    if match:
        key = match.group("id")
        return {lang: texts[key] for lang, texts in itext.items() if key in texts}
    text = _text_content(label)
    return {DEFAULT: text} if text else {}


def _choices(
    control: Element, itext: dict[str, dict[str, str]], instances: dict[str, list[Element]]
) -> tuple[Choice, ...]:
    items = [i for i in control if _local(i.tag) == "item"]
    if items:
        return tuple(
            Choice(value=_value_text(i, "value"), labels=_labels(_child(i, "label"), itext))
            for i in items
        )
    itemset = _child(control, "itemset")
    match = _INSTANCE_ITEMSET.match(itemset.get("nodeset", "")) if itemset is not None else None
    if match is None or match.group("id") not in instances:
        return ()  # choices from a file (households.csv) are not part of the form
    return tuple(_instance_choice(item, itext) for item in instances[match.group("id")])


def _instance_choice(item: Element, itext: dict[str, dict[str, str]]) -> Choice:
    text_id = _value_text(item, "itextId")
    if text_id:
        labels = {lang: texts[text_id] for lang, texts in itext.items() if text_id in texts}
    else:
        label = _value_text(item, "label")
        labels = {DEFAULT: label} if label else {}
    return Choice(value=_value_text(item, "name"), labels=labels)


def _value_text(element: Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _walk(
    element: Element,
    path: str,
    repeat: str,
    binds: dict[str, Element],
    controls: dict[str, _Control],
) -> list[Question]:
    out: list[Question] = []
    for child in element:
        name = _local(child.tag)
        child_path = f"{path}/{name}"
        control = controls.get(child_path)
        if name == "meta" and path.count("/") == 1:
            continue  # instanceID, entity and audit are the export's own columns
        if control is not None and control.tag == "repeat":
            if any(q.path == child_path for q in out):
                continue  # a second copy of the repeat in the primary instance
            out.append(Question(child_path, "repeat", control.labels, (), repeat))
            out += _walk(child, child_path, child_path, binds, controls)
        elif len(child):
            out += _walk(child, child_path, repeat, binds, controls)
        elif not _is_note(binds.get(child_path), control):
            out.append(_question(child_path, repeat, binds.get(child_path), control))
    return out


def _is_note(bind: Element | None, control: _Control | None) -> bool:
    """Notes hold no answer: a read-only input without a calculation."""
    if bind is None or control is None or control.tag != "input":
        return False
    return bind.get("readonly", "") == "true()" and not bind.get("calculate")


def _question(path: str, repeat: str, bind: Element | None, control: _Control | None) -> Question:
    kind = _local(bind.get("type", "string")) if bind is not None else "string"
    if control is not None:
        if control.tag == "select1":
            kind = "select_one"
        elif control.tag == "select":
            kind = "select_multiple"
        elif control.tag == "upload" and control.mediatype.startswith("image/"):
            kind = "image"
    labels = control.labels if control else {}
    choices = control.choices if control else ()
    return Question(path, kind, labels, choices, repeat)
