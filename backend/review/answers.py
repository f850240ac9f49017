"""A submission's answers as a person reads them: labels in their language, repeats as tables,
choices by their labels, dates and numbers localized, personal data masked unless revealed."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils import formats
from django.utils.dateparse import parse_datetime

from backend.audit.privacy import is_personal, masked
from backend.geo.points import parse_geopoint
from forms.models import FormVersion
from forms.xform_labels import FormLabels, read_labels

_SKIPPED = ("meta/",)


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    display: str
    sensitive: bool = False
    image: str = ""  # the attachment name, for image questions


@dataclass
class RepeatTable:
    key: str
    label: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Answer]] = field(default_factory=list)


@lru_cache(maxsize=64)
def _labels(md5: str, xform: str) -> FormLabels:
    return read_labels(xform.encode())


def form_labels(version: FormVersion) -> FormLabels:
    """The version's labels, parsed once per process (the md5 changes with the XForm)."""
    return _labels(version.md5, version.xform)


class AnswerReader:
    """Turns `Submission.fields` into Answers and RepeatTables for one form version."""

    def __init__(self, version: FormVersion, language: str, *, reveal: bool) -> None:
        self.labels = form_labels(version)
        self.types: dict[str, str] = version.fields or {}
        self.language = self.labels.language_for(language)
        self.reveal = reveal

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
        table = RepeatTable(key=key, label=self.labels.question(path, self.language) or key)
        keys: list[str] = []
        for entry in entries:
            if isinstance(entry, dict):
                keys.extend(k for k in entry if k not in keys and not k.startswith(_SKIPPED))
        table.columns = [self.labels.question(f"{path}/{k}", self.language) or k for k in keys]
        for entry in entries:
            if isinstance(entry, dict):
                table.rows.append([self._answer(k, f"{path}/{k}", entry.get(k)) for k in keys])
        return table

    def _answer(self, key: str, path: str, value: object) -> Answer:
        label = self.labels.question(path, self.language) or key
        text = "" if value is None else str(value)
        kind = self.types.get(path, "string")
        sensitive = is_personal(key) and text != ""
        if kind == "image" and text:
            return Answer(key, label, text, image=text)
        display = self._display(path, kind, value, text)
        if sensitive and not self.reveal:
            display = str(masked(key, text))
        return Answer(key, label, display, sensitive=sensitive)

    def _display(self, path: str, kind: str, value: object, text: str) -> str:
        if path in self.labels.choices:
            choices = [self.labels.choice(path, token, self.language) for token in text.split()]
            return "、".join(choices) if self.language.startswith("中") else ", ".join(choices)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return formats.number_format(value, use_l10n=True)
        if kind == "geopoint":
            point = parse_geopoint(text)
            if point is not None:
                return (
                    f"{point.latitude:.6f}, {point.longitude:.6f} (± {point.accuracy or 0:.0f} m)"
                )
        if kind in ("dateTime", "start", "end"):
            moment = parse_datetime(text)
            if moment is not None:
                return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if kind == "date":
            try:
                return formats.date_format(date.fromisoformat(text[:10]), "SHORT_DATE_FORMAT")
            except ValueError:
                return text
        return text


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
