"""Household properties and form answers as a reader reads them: names and choice values in the
reader's language, money as money, dates as dates, never a code where a label exists.

Names and choice values come from the project's published forms: the itext of the question that
saves to a property (`save_to`) and of its choices. The catalogue (label_catalogue.py) names the
properties the registry itself defines and reasons on; the forms ask those as questions ("Does a
member have a serious illness?") or compute them without a label, so its short name wins, and it
gives the values the forms' calculates write (ok/problem, grades, renovation stages).

Masking (backend/audit/privacy.py) is decided on the raw name before any label is looked up, so
a label never shows what a mask hides.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language

from backend.areas.models import Area, Level
from backend.audit.privacy import is_personal, masked
from backend.core.display import Kind, formatted, joined, kind_of_type, text_of
from backend.households.label_catalogue import GENERIC_VALUES, MONEY_NAMES, REGISTRY, STATUS_VALUES
from backend.households.properties import NUMBER_COLUMNS
from backend.projects.models import Project
from forms.entity_lists import HOUSEHOLD_LIST
from forms.models import Form, FormVersion
from forms.selectors import form_version_labels


def generic_value(name: str, text: str) -> str | None:
    """The label of the values every form writes alike (forms/library/README.md): yes/no, and
    ok/problem in the `*_status` checks; None for any other value."""
    if text in GENERIC_VALUES:
        return str(GENERIC_VALUES[text])
    if name.endswith("_status") and text in STATUS_VALUES:
        return str(STATUS_VALUES[text])
    return None


# The typed columns that properties fill (`income_per_capita` from `income_pc`), as flags name them.
_COLUMN_PROPERTIES = {column: prop for prop, (column, *_rest) in NUMBER_COLUMNS.items()}


@dataclass(frozen=True)
class FormTexts:
    """What the project's forms say about the household properties in one language: the label
    of the question that saves each, its choices' labels and its bind type."""

    names: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PropertyRow:
    key: str
    label: str
    value: str
    sensitive: bool
    point: bool = False  # a geopoint: the page links it to its map


class PropertyLabels:
    """Names and values of household properties in the active language."""

    def __init__(self, texts: FormTexts, villages: dict[str, str] | None = None) -> None:
        self.texts = texts
        self.villages = villages or {}

    def name(self, prop: str) -> str:
        """The property's label: the catalogue's, else its question's, else the name itself."""
        known = REGISTRY.get(prop)
        return str(known.label) if known else self.texts.names.get(prop) or prop

    def value(self, prop: str, raw: object) -> str:
        """The value's label or its formatted text; never masks (see `shown`)."""
        text = text_of(raw)
        if text == "":
            return ""
        label = self.label_of(prop, text)
        if label is not None:
            return label
        return formatted(self._kind(prop), raw)

    def label_of(self, prop: str, text: str) -> str | None:
        """The label of a coded value (a choice, a village, a status); None for free text,
        numbers and dates, which have none."""
        if prop == "village" and text in self.villages:
            return self.villages[text]
        choice = self._choice(prop, text)
        if choice is not None:
            return choice
        known = REGISTRY.get(prop)
        if known is not None and text in known.values:
            return str(known.values[text])
        return generic_value(prop, text)

    def shown(self, prop: str, raw: object, *, reveal: bool) -> str:
        """The value as a page shows it: personal data masked unless revealed, else labelled."""
        if not reveal and is_personal(prop):
            return text_of(masked(prop, text_of(raw)))
        return self.value(prop, raw)

    def rows(self, properties: dict[str, object], *, reveal: bool) -> list[PropertyRow]:
        """The properties in the catalogue's order, then the others by label."""
        order = {name: index for index, name in enumerate(REGISTRY)}
        keys = sorted(properties, key=lambda k: (order.get(k, len(order)), self.name(k), k))
        return [
            PropertyRow(
                key=key,
                label=self.name(key),
                value=self.shown(key, properties[key], reveal=reveal),
                sensitive=is_personal(key),
                point=self._kind(key) == Kind.POINT and bool(text_of(properties[key])),
            )
            for key in keys
        ]

    def evidence(self, key: str, value: object) -> tuple[str, object]:
        """A flag's evidence entry with its label: household properties, and the registry
        columns they fill (`income_per_capita`), by name and value; any other key as it is."""
        prop = _COLUMN_PROPERTIES.get(key, key)
        if prop not in REGISTRY or isinstance(value, list | dict):
            return key, value
        return self.name(prop), self.value(prop, value)

    def _kind(self, prop: str) -> Kind:
        known = REGISTRY.get(prop)
        if known is not None:
            return known.kind
        return Kind.MONEY if prop in MONEY_NAMES else kind_of_type(self.texts.types.get(prop, ""))

    def _choice(self, prop: str, text: str) -> str | None:
        choices = self.texts.choices.get(prop, {})
        if text in choices:
            return choices[text]
        tokens = text.split()
        if choices and len(tokens) > 1 and all(token in choices for token in tokens):
            return joined(choices[token] for token in tokens)  # a select_multiple
        return None


def property_labels(
    project: Project, *, villages: Iterable[str] = (), language: str | None = None
) -> PropertyLabels:
    """The project's property labels in a language (the active one by default), with the names
    of the villages whose codes are given (the `village` property holds a code).

    One query for the forms and one for the villages; each XForm is parsed once per process."""
    texts = _form_texts(project, language or get_language() or "zh-hans")
    codes = set(villages)
    names = (
        dict(Area.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("code", "name"))
        if codes
        else {}
    )
    return PropertyLabels(texts, names)


def saved_properties(version: FormVersion) -> dict[str, str]:
    """Field path -> the household property it saves (`save_to`), from the version's entities."""
    return {
        path: prop
        for declaration in (version.entities or {}).get("declarations", [])
        if declaration.get("dataset") == HOUSEHOLD_LIST
        for path, prop in declaration.get("properties", {}).items()
    }


def _form_texts(project: Project, language: str) -> FormTexts:
    """Read the current version of every form, oldest form first (the registration form is
    published first, and its wording wins)."""
    texts = FormTexts()
    forms = (
        Form.objects.filter(project=project, current_version__isnull=False)
        .select_related("current_version")
        .order_by("created_at", "pk")
    )
    for form in forms:
        if form.current_version is not None:
            _add_form(texts, form.current_version, language)
    return texts


def _add_form(texts: FormTexts, version: FormVersion, language: str) -> None:
    labels = form_version_labels(version)
    spoken = labels.language_for(language)
    by_name = {path.rsplit("/", 1)[-1]: path for path in labels.choices}
    for path, prop in saved_properties(version).items():
        if labels.question(path, spoken):
            texts.names.setdefault(prop, labels.question(path, spoken))
        texts.types.setdefault(prop, (version.fields or {}).get(path, ""))
        # A calculate has no choices; the catalogue may name the question whose choices it copies.
        known = REGISTRY.get(prop)
        source = path if path in labels.choices else by_name.get(known.choices_of if known else "")
        if source and prop not in texts.choices:
            texts.choices[prop] = {
                value: labels.choice(source, value, spoken) for value in labels.choices[source]
            }
