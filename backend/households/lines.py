"""Each household's line of the phones' list (`households.csv`), rendered when it is written.

The list is then a read of stored text in the scope's order instead of 30 JSON look-ups and CSV
quoting per household per download. One SQL expression renders a line, both when a household is
written (`household_line_write`) and, for a line that is stale, on the fly while the list is
served, so a stored line is never needed for correct output, only for speed.

The columns are the properties the project's forms read (`entity_list_columns`: derived from
their XForms), with ID numbers masked as backend/audit/privacy.py says: phones get no property a
form does not use. A stored line is fresh when it was rendered for the project's current layout
(HouseholdListLayout: the columns and how each is written) and at the household's current
`updated_at` (so a save that forgot to render the line makes it stale, never wrong). The village
code is not stored: an area's code can change without a household write, so it is joined in when
the list is read.

`list_change` counts the changes of what a phone gets of the household: a write that changes its
line (`line_inputs`: what the line shows and the code that places it in the list) gives it a
number above any the project's households had, a write that leaves the line as it was keeps the
number, and so does the refresh after a layout change (the list's header says that one). The
list's version token sums the numbers over the scope, so the sum moves whenever a line in the
scope changes, in whatever order concurrent writes commit. backend/households/derived.py
decides, for every service, whether a write changed the line.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Expression,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Greatest
from django_tasks import task

from backend.audit.privacy import Personal, mask, mask_sql, personal_kind
from backend.core.cache import cached
from backend.core.compiled import update_of_one_row
from backend.households.list_generation import household_lists_changed
from backend.households.models import Household, HouseholdListLayout
from forms.entity_lists import HOUSEHOLD_LIST
from forms.selectors import entity_list_columns

# Entity-spec columns first; then the server's own (every shipped form filters by village, the
# review note is the supervisor's message to the worker, the case note the household's open
# case and its step, the campaign the look-back that visits it), then the properties forms read.
SYSTEM_COLUMNS = ("name", "label", "__version")
SERVER_COLUMNS = ("village", "review_note", "case_note", "campaign")
# Collect keeps these itself; a form's lookups of them are not properties.
_COLLECT_COLUMNS = frozenset({"__trunkVersion", "__branchId"})
MASKED = "masked"


@dataclass(frozen=True)
class ListLayout:
    """The properties of the list after the server columns, how each is written, and the id
    that stamps lines rendered for them."""

    id: int
    columns: tuple[tuple[str, str], ...]  # (property, "" or MASKED)

    @property
    def properties(self) -> list[str]:
        return [key for key, _how in self.columns]


def list_layout(project_id: int) -> ListLayout:
    """The project's current layout: the properties its forms read, ID numbers masked."""
    read = entity_list_columns(project_id=project_id, list_name=HOUSEHOLD_LIST)
    skipped = {*SYSTEM_COLUMNS, *SERVER_COLUMNS, *_COLLECT_COLUMNS}
    columns = tuple((key, _how(key)) for key in read if key not in skipped)
    # The server's columns are part of every stored line too: lines stored before a server
    # column was added are stale under the layout that has it.
    digest = hashlib.sha256(json.dumps([SERVER_COLUMNS, columns]).encode()).hexdigest()
    layout_id = cached(
        f"household-list-layout:{project_id}:{digest}",
        lambda: _layout_id(project_id, digest, columns),
        in_process=True,  # a digest names one layout for good
    )
    return ListLayout(id=layout_id, columns=columns)


def _how(key: str) -> str:
    # Phones get an ID number only as much as a worker needs to recognise the household; phone
    # numbers and health answers a form reads are what that form is for, so they go as stored.
    return MASKED if personal_kind(key) is Personal.ID_NUMBER else ""


def _layout_id(project_id: int, digest: str, columns: tuple[tuple[str, str], ...]) -> int:
    layout, created = HouseholdListLayout.objects.get_or_create(
        project_id=project_id, digest=digest, defaults={"columns": [list(c) for c in columns]}
    )
    if created:  # every stored line is stale: render them again once this is committed
        transaction.on_commit(partial(refresh_household_lines.enqueue, project_id))
    return layout.pk


def list_line(layout: ListLayout) -> Expression:
    """A household's whole list line, newline included: stored parts when fresh, else rendered."""
    return _Join(
        Case(When(fresh(layout), then=F("list_head")), default=line_head()),
        CsvField(F("village__code")),
        Case(When(fresh(layout), then=F("list_tail")), default=line_tail(layout)),
        Value("\n"),
    )


def fresh(layout: ListLayout) -> Q:
    """Stored lines that are current: rendered for this layout, at this `updated_at`."""
    return Q(list_layout=layout.id, list_rendered_at=F("updated_at"))


def line_head() -> Expression:
    """`name,label,__version,` of the household (the village code follows)."""
    return _Join(
        _UuidText(F("uuid")),
        Value(","),
        CsvField(F("label")),
        Value(","),
        Cast(F("version"), TextField()),
        Value(","),
    )


def line_tail(layout: ListLayout) -> Expression:
    """`,review_note,case_note,campaign,property...` of the household: every field after the
    village code."""
    parts: list[Expression] = []
    for column in ("review_note", "case_note", "campaign"):
        parts += [Value(","), CsvField(F(column))]
    for key, how in layout.columns:
        # KeyTextTransform takes the key as it is (KT("a__b") would read a path).
        value: Expression = KeyTextTransform(key, "properties")
        parts += [Value(","), CsvField(MaskedId(value) if how == MASKED else value)]
    return _Join(*parts)


def line_inputs(household: Household, layout: ListLayout) -> tuple[object, ...]:
    """What the household's line shows under the layout, and the code that places the line in
    the list: equal inputs give the phones equal bytes (the village code follows the village)."""
    values = (_shown(household.properties.get(key), how) for key, how in layout.columns)
    return (
        household.project_id,
        household.uuid,
        household.code,
        household.label,
        household.version,
        household.village_id,
        household.review_note,
        household.case_note,
        household.campaign,
        *values,
    )


def _shown(value: object, how: str) -> object:
    # As the line writes it: a missing property and an empty one are both an empty field.
    if value is None:
        return ""
    if how == MASKED and isinstance(value, str):
        return mask(Personal.ID_NUMBER, value)
    return value


def household_line_write(
    household: Household, *, changed: bool = True, layout: ListLayout | None = None
) -> None:
    """Render the household's line after a write; when the line `changed` (or nobody knows),
    give it a new change number, which moves the token of every list that holds it.

    Services call it through backend.households.derived.household_written, which knows whether
    the write changed the line, and passes the project's layout it has read.
    """
    layout = layout or list_layout(household.project_id)
    sql, params = _line_update(household.project_id, layout, changed)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, household.pk])


def households_lines_changed(households: QuerySet[Household]) -> None:
    """Give these households new change numbers: their lines changed without a write of their
    own rows (their village's code)."""
    projects = households.order_by().values_list("project_id", flat=True).distinct()
    for project_id in list(projects):
        newest = _newest(project_id)
        households.filter(project_id=project_id).update(
            list_change=Greatest(F("list_change"), Coalesce(newest, 0)) + 1
        )
        household_lists_changed(project_id)


def _newest(project_id: int) -> Subquery:
    """The highest change number of the project's households, as a subquery.

    The top row of the (project, list_change) index, read backwards: a MAX() grouped by project
    made PostgreSQL scan every household of the project (half a second at 500,000 households,
    on every write of a line)."""
    project = Household.objects.filter(project_id=project_id).order_by("-list_change")
    return Subquery(project.values("list_change")[:1])


@lru_cache(maxsize=256)
def _line_update(project_id: int, layout: ListLayout, changed: bool) -> tuple[str, tuple[Any, ...]]:
    """The UPDATE that renders one household's line (and, when it `changed`, counts the change)
    (backend/core/compiled.py).

    Compiled once per project and layout: building its thirty-odd expressions for every write
    was a fifth of the CPU of a household merge.
    """
    # The write is counted either way: its `updated_at` is no longer one the services missed.
    values = {**_rendered(layout), "list_counted_at": F("updated_at")}
    if changed:
        # Above the row's own number too: a concurrent write may not be in the subquery's view.
        values["list_change"] = Greatest(F("list_change"), Coalesce(_newest(project_id), 0)) + 1
    return update_of_one_row(Household, values)


@task()
def refresh_household_lines(project_id: int) -> None:
    """Render the stale lines of a project whose layout changed (safe to run twice)."""
    household_lines_refresh(project_id)


def household_lines_refresh(project_id: int, *, batch: int = 2000) -> int:
    """Render the project's stale lines (after its layout changed), in batches; how many.

    The content the phones get does not change (stale lines were rendered on the fly), so the
    change numbers stay as they are.
    """
    layout = list_layout(project_id)
    households = Household.objects.filter(project_id=project_id)
    stale = households.exclude(fresh(layout)).order_by("pk").values_list("pk", flat=True)
    done = 0
    while ids := list(stale[:batch]):
        # A statement per batch: no long transaction over a million rows.
        done += households.filter(pk__in=ids).update(**_rendered(layout))
    return done


def _rendered(layout: ListLayout) -> dict[str, Any]:
    return {
        "list_head": line_head(),
        "list_tail": line_tail(layout),
        "list_layout": layout.id,
        "list_rendered_at": F("updated_at"),
    }


class _Join(Func):
    """Text parts joined with `||` (every part here is non-NULL text)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


class CsvField(Func):
    """One CSV field as PostgreSQL's COPY (FORMAT csv) writes it: NULL and '' as nothing, quoted
    when it holds a comma, a quote, a carriage return or a line feed."""

    output_field = TextField()

    # Parameters as a list, as Django 5.2 compiles them; the stubs follow Django 6 (a tuple).
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        value, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            special = f"strpos(translate({value}, E',\"\\r\\n', ',,,,'), ',') > 0"
            uses = 4
        else:
            special = " OR ".join(
                f"instr({value}, {char}) > 0" for char in ("','", "'\"'", "char(13)", "char(10)")
            )
            uses = 7
        quoted = f"'\"' || replace({value}, '\"', '\"\"') || '\"'"
        sql = f"(CASE WHEN {value} IS NULL THEN '' WHEN {special} THEN {quoted} ELSE {value} END)"
        return sql, [*params] * uses


class MaskedId(Func):
    """An ID number as backend.audit.privacy.mask writes it (its last characters only)."""

    output_field = TextField()

    def as_sql(  # type: ignore[override]  # a list of parameters: see CsvField
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        value, params = compiler.compile(self.source_expressions[0])
        sql = mask_sql(Personal.ID_NUMBER, value, vendor=connection.vendor)
        return sql, [*params] * sql.count(value)


class _UuidText(Func):
    """A UUID as text with dashes (SQLite stores it as 32 hex digits)."""

    output_field = TextField()

    def as_sql(  # type: ignore[override]  # a list of parameters: see CsvField
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        value, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({value})::text", [*params]
        pieces = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        sql = " || '-' || ".join(f"substr({value}, {start}, {n})" for start, n in pieces)
        return f"lower({sql})", [*params] * len(pieces)
