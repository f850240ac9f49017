"""A submission's answers as a person reads them: labels in their language, repeats as tables,
choices by their labels, money, dates and numbers localized, personal data masked unless revealed.

Labels come from backend/households/labels.py and formats from backend/core/display.py; this
module decides which apply to an answer: its question's own label and choices first, then what the
household property it saves (or copies from the phone's household list) is called and how its
values read.
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backend.audit.privacy import is_personal, masked
from backend.core.display import formatted, joined, kind_of_type, money
from backend.households.label_catalogue import ANSWERS, MONEY_NAMES
from backend.households.labels import FormTexts, PropertyLabels, generic_value, saved_properties
from forms.entity_lists import HOUSEHOLD_LIST
from forms.models import FormVersion
from forms.selectors import form_version_labels

_SKIPPED = ("meta/",)


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    display: str
    sensitive: bool = False
    image: str = ""  # the attachment name, for image questions
    point: bool = False  # a geopoint: the page links it to its map


@dataclass
class RepeatTable:
    key: str
    label: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Answer]] = field(default_factory=list)


class AnswerReader:
    """Turns `Submission.fields` into Answers and RepeatTables for one form version.

    `properties` names the household properties; `known` maps values that stand for a record
    (the household's entity id) to that record's label."""

    def __init__(
        self,
        version: FormVersion,
        language: str,
        *,
        reveal: bool,
        properties: PropertyLabels | None = None,
        known: dict[str, str] | None = None,
    ) -> None:
        self.labels = form_version_labels(version)
        self.types: dict[str, str] = version.fields or {}
        self.language = self.labels.language_for(language)
        self.reveal = reveal
        self.properties = properties or PropertyLabels(FormTexts())
        self.known = known or {}
        self.saved = saved_properties(version)

    def read(self, fields: dict[str, object]) -> list[Answer | RepeatTable]:
        items: list[Answer | RepeatTable] = []
        for key, value in fields.items():
            if key.startswith(_SKIPPED):
                continue
            path = f"{self.labels.root}/{key}"
            if isinstance(value, list):
                items.append(self._table(key, path, value))
            elif value is not None:
                items.append(self._answer(key, path, value))
        return items

    def _table(self, key: str, path: str, entries: list[object]) -> RepeatTable:
        table = RepeatTable(key=key, label=self._label(key, path))
        keys: list[str] = []
        for entry in entries:
            if isinstance(entry, dict):
                keys.extend(k for k in entry if k not in keys and not k.startswith(_SKIPPED))
        table.columns = [self._label(k, f"{path}/{k}") for k in keys]
        for entry in entries:
            if isinstance(entry, dict):
                table.rows.append([self._answer(k, f"{path}/{k}", entry.get(k)) for k in keys])
        return table

    def _answer(self, key: str, path: str, value: object) -> Answer:
        label = self._label(key, path)
        text = "" if value is None else str(value)
        if self.types.get(path) == "image" and text:
            return Answer(key, label, text, image=text)
        # Personal by the answer's name or by the property it holds: a label never unmasks.
        personal = next((n for n in (key, self._property(path)) if n and is_personal(n)), None)
        sensitive = personal is not None and text != ""
        if personal is not None and not self.reveal:
            return Answer(key, label, str(masked(personal, text)), sensitive=sensitive)
        shown = self._display(key, path, value, text)
        point = self.types.get(path) == "geopoint" and shown != ""
        return Answer(key, label, shown, sensitive=sensitive, point=point)

    def _label(self, key: str, path: str) -> str:
        """The question's label; else what the property it saves or copies is called; else the
        catalogue's name for an unlabelled answer; else the key."""
        own = self.labels.question(path, self.language)
        if own:
            return own
        name, copied = key.rsplit("/", 1)[-1], self._copied(path)
        if path in self.saved:
            return capfirst(self.properties.name(self.saved[path]))
        if copied:
            named = self.properties.name(copied)
            return capfirst(_("%(property)s (last recorded)") % {"property": named})
        if name in ANSWERS:
            return capfirst(str(ANSWERS[name].label))
        # A calculate named after the property it computes (`food_clothing_status`).
        named = self.properties.name(name)
        return capfirst(named) if named != name else key

    def _display(self, key: str, path: str, value: object, text: str) -> str:
        if text in self.known:
            return self.known[text]
        name = key.rsplit("/", 1)[-1]
        prop = self._property(path)
        if prop == "village" and text in self.properties.villages:
            return self.properties.villages[text]  # the registry's name, not the form's
        if path in self.labels.choices:
            return joined(self.labels.choice(path, t, self.language) for t in text.split())
        if prop:
            return self.properties.value(prop, value)
        if name in MONEY_NAMES:
            return money(value)
        if name in ANSWERS:
            return formatted(ANSWERS[name].kind, value)
        generic = generic_value(name, text)
        if generic is not None:
            return generic
        return formatted(kind_of_type(self.types.get(path, "string")), value)

    def _property(self, path: str) -> str:
        """The household property the answer saves or copies; `village` answers hold a village
        code in every shipped form (forms/library/README.md), saved or not."""
        prop = self.saved.get(path) or self._copied(path)
        return prop or ("village" if path.rsplit("/", 1)[-1] == "village" else "")

    def _copied(self, path: str) -> str:
        source = self.labels.copies.get(path)
        return source[1] if source and source[0] == HOUSEHOLD_LIST else ""


def question_label(version: FormVersion, key: str) -> str:
    """The label of a question by its fields key, in the active language (else the key)."""
    labels = form_version_labels(version)
    language = labels.language_for(get_language() or "")
    return labels.question(f"{labels.root}/{key}", language) or key


def image_keys(fields: dict[str, object]) -> dict[str, str]:
    """Attachment name -> the field key that names it (top level and in repeats)."""
    found: dict[str, str] = {}
    for key, value in fields.items():
        if isinstance(value, str):
            found.setdefault(value, key)
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    for sub, sub_value in entry.items():
                        if isinstance(sub_value, str):
                            found.setdefault(sub_value, f"{key}/{sub}")
    return found
