"""Question and choice labels of an XForm in each of its languages (pure: no Django).

Labels come from the itext translations (`jr:itext('…')`) or, in single-language forms, from the
label text itself. Choices come from inline `<item>`s or from itemsets over secondary instances
(pyxform writes `instance('list')/root/item` with an `itextId` or `label` per item).
"""

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from forms.xform import XFormError, _child, _local, _parse, _primary_instance

_ITEXT_REF = re.compile(r"""^jr:itext\(\s*'([^']+)'\s*\)$""")
_INSTANCE_REF = re.compile(r"""^instance\(\s*'([^']+)'\s*\)""")
_LANG_CODE = re.compile(r"\(([A-Za-z-]+)\)\s*$")
# A calculate that copies one column of the chosen row of a list (an entity property as it was
# last recorded): instance('households')/root/item[name= /data/hh ]/income_pc.
_COPIED_COLUMN = re.compile(
    r"""^\s*instance\(\s*'(?P<list>[^']+)'\s*\)/root/item\[[^\[\]]*\]/(?P<column>[\w.-]+)\s*$"""
)
# Translated text keyed by language name as the form spells it ("中文 (zh)"); "" = untranslated.
Texts = dict[str, str]


@dataclass(frozen=True)
class FormLabels:
    root: str  # the primary instance's path, e.g. "/data"
    languages: list[str]
    default_language: str
    questions: dict[str, Texts] = field(default_factory=dict)  # path -> texts
    choices: dict[str, dict[str, Texts]] = field(default_factory=dict)  # path -> value -> texts
    # path -> (list, column) for calculates that copy one column of a list's chosen row
    copies: dict[str, tuple[str, str]] = field(default_factory=dict)

    def language_for(self, code: str) -> str:
        """The form language that best matches a locale code ("zh-hans" -> "中文 (zh)")."""
        wanted = code.lower().split("-")[0]
        for language in self.languages:
            match = _LANG_CODE.search(language)
            tag = match.group(1) if match else language
            if tag.lower().split("-")[0] == wanted or language.lower() == wanted:
                return language
        return self.default_language

    def question(self, path: str, language: str) -> str:
        return _pick(self.questions.get(path, {}), language, self.default_language)

    def choice(self, path: str, value: str, language: str) -> str:
        texts = self.choices.get(path, {}).get(value)
        return _pick(texts, language, self.default_language) if texts else value


def read_labels(xml: bytes) -> FormLabels:
    """Parse the labels of every question and choice of an XForm."""
    root = _parse(xml)
    head, body = _child(root, "head"), _child(root, "body")
    model = _child(head, "model") if head is not None else None
    if model is None:
        raise XFormError("not an XForm: <h:head> with a <model> is missing")
    itext, default = _itext(model)
    instances = _secondary_instances(model)
    labels = FormLabels(
        root=f"/{_local(_primary_instance(model).tag)}",
        languages=list(itext) or [""],
        default_language=default,
        copies=_copies(model),
    )
    for control in body.iter() if body is not None else ():
        ref = control.get("ref") or control.get("nodeset") or ""
        label = _child(control, "label")
        if not ref.startswith("/") or label is None:
            continue
        labels.questions.setdefault(ref, _texts(label, itext))
        options = _choices(control, itext, instances)
        if options:
            labels.choices[ref] = options
    return labels


def _copies(model: Element) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for bind in model:
        match = (
            _COPIED_COLUMN.match(bind.get("calculate", "")) if _local(bind.tag) == "bind" else None
        )
        if match is not None:
            found[bind.get("nodeset", "")] = (match.group("list"), match.group("column"))
    return found


def _pick(texts: Texts, language: str, default: str) -> str:
    return (
        texts.get(language)
        or texts.get(default)
        or texts.get("")
        or next((text for text in texts.values() if text), "")
    )


def _itext(model: Element) -> tuple[dict[str, dict[str, str]], str]:
    """Map language -> text id -> text (the plain form, not images or audio)."""
    itext = _child(model, "itext")
    found: dict[str, dict[str, str]] = {}
    default = ""
    for translation in itext if itext is not None else ():
        language = translation.get("lang", "")
        if translation.get("default"):
            default = language
        texts = found.setdefault(language, {})
        for text in translation:
            value = next((v for v in text if _local(v.tag) == "value" and not v.get("form")), None)
            if value is not None:
                texts[text.get("id", "")] = "".join(value.itertext()).strip()
    return found, default or next(iter(found), "")


def _texts(label: Element, itext: dict[str, dict[str, str]]) -> Texts:
    match = _ITEXT_REF.match(label.get("ref", "").strip())
    if match is None:
        return {"": "".join(label.itertext()).strip()}
    return {language: texts.get(match.group(1), "") for language, texts in itext.items()}


def _secondary_instances(model: Element) -> dict[str, Element]:
    return {
        instance.get("id", ""): instance
        for instance in model
        if _local(instance.tag) == "instance" and instance.get("id") and not instance.get("src")
    }


def _choices(
    control: Element, itext: dict[str, dict[str, str]], instances: dict[str, Element]
) -> dict[str, Texts]:
    options: dict[str, Texts] = {}
    for item in control:
        if _local(item.tag) == "item":
            value, label = _child(item, "value"), _child(item, "label")
            if value is not None and label is not None:
                options[(value.text or "").strip()] = _texts(label, itext)
        elif _local(item.tag) == "itemset":
            options.update(_itemset(item, itext, instances))
    return options


def _itemset(
    itemset: Element, itext: dict[str, dict[str, str]], instances: dict[str, Element]
) -> dict[str, Texts]:
    match = _INSTANCE_REF.match(itemset.get("nodeset", "").strip())
    value_ref, label_ref = _child(itemset, "value"), _child(itemset, "label")
    if match is None or match.group(1) not in instances or value_ref is None or label_ref is None:
        return {}
    value_name = value_ref.get("ref", "name")
    label_expr = label_ref.get("ref", "label")
    by_itext = label_expr.startswith("jr:itext(")
    label_name = label_expr[len("jr:itext(") : -1].strip() if by_itext else label_expr
    options: dict[str, Texts] = {}
    for item in instances[match.group(1)].iter():
        if _local(item.tag) != "item":
            continue
        value, label = _child(item, value_name), _child(item, label_name)
        if value is None or label is None:
            continue
        text = (label.text or "").strip()
        options[(value.text or "").strip()] = (
            {language: texts.get(text, "") for language, texts in itext.items()}
            if by_itext
            else {"": text}
        )
    return options
