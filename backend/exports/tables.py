"""The layout of a form export: one table for the submissions, one per repeat group, and how a
submission's fields become rows (pure: no Django, so it is fast and testable on its own).

Tables join as in ODK Central's exports: each row has a KEY; a repeat row's PARENT_KEY is the
KEY of the row it belongs to, and its own KEY is `<parent key>/<repeat name>[<n>]`.
"""

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from forms.questions import DEFAULT, FormQuestions, Question

Row = list[Any]
Fields = dict[str, Any]
Transform = Callable[[Row], None]
_NUMBERS: dict[str, type] = {"int": int, "decimal": float}
GEO_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")
# A geopoint part that counts as a number: plain decimal notation, short enough that no reader
# (Python or PostgreSQL's float8, see backend.exports.copy_sql) overflows. Shared by both writers.
NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,2})?"
NUMBER_LENGTH = 30
NUMBER_PATTERN = rf"^(?=.{{1,{NUMBER_LENGTH}}}$){NUMBER}$"
_NUMBER = re.compile(NUMBER_PATTERN)
# Hides a personal answer: (fields key, text) -> masked text (backend.audit.privacy.hidden).
Hide = Callable[[str, str], str]


@dataclass(frozen=True)
class Layout:
    """How headers and answers are written."""

    labels: bool = False  # question labels as headers and choice labels as answers
    language: str = DEFAULT  # the translation whose labels are used
    split_select_multiple: bool = False
    # Translated header suffixes for label headers, e.g. {"Latitude": "纬度"}.
    part_names: dict[str, str] = field(default_factory=dict)
    # XLSX: numbers as numbers. CSV: every answer as the phone sent it (geopoint parts too).
    typed: bool = True
    # Personal data: which fields keys are personal, and how they are hidden (None: shown).
    sensitive: Callable[[str], bool] = lambda key: False
    hide: Hide | None = None


@dataclass(frozen=True)
class Column:
    """What one column holds, for writers that build it elsewhere (the database's COPY)."""

    key: str  # the fields key it reads
    kind: str  # the question type
    part: int | None = None  # a geopoint's part (0-3)
    choice: str | None = None  # the choice a select_multiple split column stands for
    labels: dict[str, str] | None = None  # choice value -> label, when labels replace values
    hidden: bool = False  # personal data, masked


@dataclass
class Table:
    name: str  # the repeat's name, or the form id for the submissions table
    key: str  # where this repeat's list sits in its parent's fields ("" for the root)
    headers: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the fields key each column reads
    columns: list[Column] = field(default_factory=list)  # what each column holds
    transforms: list[Transform] = field(default_factory=list)
    children: list["Table"] = field(default_factory=list)
    index: int = 0  # position in `tables()` order, used by the writers

    def values(self, fields: Fields) -> Row:
        """The answer columns of one row."""
        row = [fields.get(k) for k in self.keys]
        for transform in self.transforms:
            transform(row)
        return row

    @property
    def distinct_keys(self) -> list[str]:
        """Each fields key once, in column order (a geopoint's four columns read one key)."""
        return list(dict.fromkeys(self.keys))

    def values_from(self, answers: Sequence[Any]) -> Row:
        """The answer columns from answers given in `distinct_keys` order (a database row)."""
        slots = self._slots
        row = [answers[i] for i in slots]
        for transform in self.transforms:
            transform(row)
        return row

    @cached_property
    def _slots(self) -> list[int]:
        position = {key: index for index, key in enumerate(self.distinct_keys)}
        return [position[key] for key in self.keys]

    def walk(self) -> Iterator["Table"]:
        yield self
        for child in self.children:
            yield from child.walk()


def build_tables(form_id: str, questions: FormQuestions, layout: Layout) -> Table:
    """The submissions table with its repeat tables nested as children, indexed in order."""
    root = _table(form_id, "", "", questions, layout)
    for index, table in enumerate(root.walk()):
        table.index = index
    return root


def repeat_rows(table: Table, fields: Fields, key: str) -> Iterator[tuple[int, Row]]:
    """Yield (table index, row) for every repeat entry below one row, depth first."""
    for child in table.children:
        entries = fields.get(child.key)
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                continue
            child_key = f"{key}/{child.name}[{number}]"
            yield child.index, [*child.values(entry), key, child_key]
            yield from repeat_rows(child, entry, child_key)


def split_geopoint(value: Any, *, typed: bool = True) -> list[Any]:
    """'lat lon alt acc' -> four numbers, or their text when not typed (None where missing or
    not a number)."""
    parts = value.split() if isinstance(value, str) else []
    out: list[Any] = []
    for index in range(4):
        part = parts[index] if index < len(parts) else ""
        if _NUMBER.match(part):
            out.append(float(part) if typed else part)
        else:
            out.append(None)
    return out


def _table(name: str, container: str, key: str, questions: FormQuestions, layout: Layout) -> Table:
    table = Table(name=name, key=key)
    headers: list[str] = []
    for question in questions.in_container(container):
        if question.kind == "repeat":
            table.children.append(
                _table(
                    question.name, question.path, question.key(questions.root), questions, layout
                )
            )
        else:
            headers += _add_columns(table, question, question.key(questions.root), layout)
    table.headers = _unique(headers)
    return table


def _add_columns(table: Table, question: Question, key: str, layout: Layout) -> list[str]:
    """Add the question's columns and transforms to the table; return their headers."""
    start, kind = len(table.keys), question.kind
    hidden = layout.hide is not None and layout.sensitive(key)
    title = question.label(layout.language) if layout.labels else key
    if kind == "geopoint":
        table.keys += [key] * 4
        table.columns += [Column(key, kind, part=p, hidden=hidden) for p in range(4)]
        table.transforms.append(_geopoint_transform(start, layout.typed))
        headers = [_part_header(title, part, layout) for part in GEO_PARTS]
        return _hide(table, start, key, layout, headers) if hidden else headers
    choices = {c.value: c.label(layout.language) for c in question.choices}
    labelled = layout.labels and bool(choices) and kind in {"select_one", "select_multiple"}
    table.keys.append(key)
    table.columns.append(Column(key, kind, labels=choices if labelled else None, hidden=hidden))
    headers = [title]
    if kind in _NUMBERS and layout.typed:
        table.transforms.append(_number_transform(start, _NUMBERS[kind]))
    if labelled:
        table.transforms.append(_label_transform(start, choices, kind))
    if layout.split_select_multiple and kind == "select_multiple" and question.choices:
        values = [c.value for c in question.choices]
        table.keys += [key] * len(values)
        table.columns += [Column(key, kind, choice=v, hidden=hidden) for v in values]
        table.transforms.insert(0, _split_transform(start, values))
        headers += [f"{title}: {choices[v]}" if layout.labels else f"{key}/{v}" for v in values]
    return _hide(table, start, key, layout, headers) if hidden else headers


def _hide(table: Table, start: int, key: str, layout: Layout, headers: list[str]) -> list[str]:
    """Mask every column of a personal answer (split and geopoint columns included), last."""
    assert layout.hide is not None
    hide, end = layout.hide, start + len(headers)

    def transform(row: Row) -> None:
        for index in range(start, end):
            value = row[index]
            if value is not None and value != "":
                row[index] = hide(key, str(value))

    table.transforms.append(transform)
    return headers


def _part_header(title: str, part: str, layout: Layout) -> str:
    if layout.labels:
        return f"{title} ({layout.part_names.get(part, part)})"
    return f"{title}-{part}"


def _geopoint_transform(index: int, typed: bool) -> Transform:
    def transform(row: Row) -> None:
        row[index : index + 4] = split_geopoint(row[index], typed=typed)

    return transform


def _split_transform(index: int, values: list[str]) -> Transform:
    # Runs before the label transform so it sees the submitted values, not labels.
    def transform(row: Row) -> None:
        answer = row[index]
        if answer is None or answer == "":
            return
        chosen = set(str(answer).split())
        for offset, value in enumerate(values, start=1):
            row[index + offset] = 1 if value in chosen else 0

    return transform


def _number_transform(index: int, kind: type) -> Transform:
    # PostgreSQL hands answers over as text; numbers stay numbers in XLSX either way.
    def transform(row: Row) -> None:
        value = row[index]
        if isinstance(value, str):
            with suppress(ValueError):  # keep what the phone sent
                row[index] = kind(value)

    return transform


def _label_transform(index: int, choices: dict[str, str], kind: str) -> Transform:
    def transform(row: Row) -> None:
        answer = row[index]
        if answer is None or answer == "":
            return
        if kind == "select_one":
            row[index] = choices.get(str(answer), answer)
        else:
            row[index] = ", ".join(choices.get(v, v) for v in str(answer).split())

    return transform


def _unique(headers: list[str]) -> list[str]:
    """Two questions may share a label: number the later ones so every column is named once."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0) + 1
        seen[header] = count
        out.append(header if count == 1 else f"{header} ({count})")
    return out
