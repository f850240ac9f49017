"""SELECTs read on every visit, compiled by Django once per shape and run with plain SQL.

The merge reads a household's flags, versions and facts, and its submission with the rows it
points at, on every visit; Django building those queries from querysets was two fifths of a
merge's CPU. A CompiledSelect builds its queryset once per shape of its arguments (and per
connection), with stand-ins for the arguments, finds the stand-ins again among the compiled
parameters, and from then on runs the SQL with the real values.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

# A list argument up to this long gets a plan of its own per length (a visit reads one
# household, an edit's chain a few submissions); a longer one is run as a plain queryset.
KEPT_LIST_LENGTH = 8

# Values that stand for a SELECT's arguments while Django compiles it: far from any real id,
# and text no one sends (the invisible separator U+2063 around a name), so each is found again
# among the compiled parameters, and an argument Django changed on the way (a LIKE pattern, a
# type conversion) is not found and refused.
_SENTINEL_MARK = "\u2063"


def _sentinel(position: int, element: int, like: object) -> int | str:
    if isinstance(like, bool) or not isinstance(like, int | str):
        raise TypeError(f"a compiled SELECT takes ints, strings and lists of them, not {like!r}")
    if isinstance(like, int):
        return -(7_000_000_000 + position * 100_000 + element)
    return f"{_SENTINEL_MARK}{position}.{element}{_SENTINEL_MARK}"


def _sentinels(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        [_sentinel(i, j, item) for j, item in enumerate(arg)]
        if isinstance(arg, list)
        else _sentinel(i, 0, arg)
        for i, arg in enumerate(args)
    )


def _shape(args: tuple[Any, ...]) -> tuple[object, ...]:
    # The SQL of `pk__in=[...]` has one placeholder per element; everything else keeps its SQL.
    return tuple(len(arg) if isinstance(arg, list) else type(arg) for arg in args)


# Where each parameter of the compiled SQL comes from: an argument (and element of a list), or
# a value the SELECT itself holds.
Slot = tuple[int, int | None] | tuple[None, Any]


@dataclass(frozen=True)
class _Plan:
    sql: str
    slots: tuple[Slot, ...]
    compiler: Any  # Django's SQLCompiler, kept for its converters and its connection
    converters: dict[int, Any]
    rows: "_Rows"
    locks: bool


@dataclass(frozen=True)
class _Rows:
    """How the fetched rows become what the queryset gives: model instances (with the ones
    select_related names, filled by Django's own populators), tuples or single values."""

    kind: str  # "model", "tuples" or "flat"
    model: type[models.Model] | None = None
    init_list: tuple[str, ...] = ()
    span: tuple[int, int] = (0, 0)  # the model's own columns in the row
    related: tuple[Any, ...] = ()  # Django's RelatedPopulator of each select_related

    def read(self, fetched: list[Any], using: str) -> list[Any]:
        if self.kind == "flat":
            return [row[0] for row in fetched]
        if self.kind == "tuples":
            return [tuple(row) for row in fetched]
        assert self.model is not None
        start, end = self.span
        found = []
        for row in fetched:
            instance = self.model.from_db(using, list(self.init_list), row[start:end])
            for populator in self.related:
                populator.populate(row, instance)
            found.append(instance)
        return found


# The plan of a shape whose SELECT can have no rows (an empty list where a list is matched).
_NO_ROWS = _Plan(sql="", slots=(), compiler=None, converters={}, rows=_Rows("flat"), locks=False)


class CompiledSelect:
    """A SELECT built from a queryset once per shape of its arguments and connection, run
    many times with plain SQL: the merge reads a household's flags, versions and facts on
    every visit, and Django building those queries was two fifths of a merge's CPU.

    `build(*args)` returns the queryset; its arguments are ints, strings or lists of ints or
    strings, used as they are (as `pk=`, `code=`, `__in=` values). Rows come back as the
    queryset would give them: model instances (with those select_related names), tuples from
    values_list, or single values from values_list(flat=True), converted as Django converts
    them.
    """

    def __init__(self, build: Callable[..., models.QuerySet[Any]]) -> None:
        self.build = build

    def rows(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list[Any]:
        if any(isinstance(arg, list) and len(arg) > KEPT_LIST_LENGTH for arg in args):
            # A batch (a recheck of a village): compiled as usual, as a plan per length of a
            # long list would pile up in the connection.
            return list(self.build(*args).using(using))
        connection = connections[using]
        # Kept on the connection's wrapper: one per thread, as the converters it holds are.
        kept = connection.__dict__.setdefault("compiled_selects", {})
        key = (self, _shape(args))
        plan: _Plan | None = kept.get(key)
        if plan is None:
            plan = kept[key] = self._plan(args, using)
        if plan is _NO_ROWS:
            return []
        if plan.locks and connection.get_autocommit():
            # Django's own refusal (the lock would end with the statement).
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = [_value(args, slot) for slot in plan.slots]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            fetched = cursor.fetchall()
        if plan.converters:
            fetched = list(plan.compiler.apply_converters(fetched, plan.converters))
        return plan.rows.read(fetched, using)

    def _plan(self, args: tuple[Any, ...], using: str) -> _Plan:
        sentinels = _sentinels(args)
        queryset = self.build(*sentinels)
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _NO_ROWS  # `__in=[]`: Django itself answers no rows without a query
        where = {
            value: (i, None if not isinstance(arg, list) else j)
            for i, arg in enumerate(sentinels)
            for j, value in enumerate(arg if isinstance(arg, list) else [arg])
        }
        slots: list[Slot] = [where[p] if _hashable(p) and p in where else (None, p) for p in params]
        _check(sql, params, where, slots)
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        return _Plan(
            sql=sql,
            slots=tuple(slots),
            compiler=compiler,
            converters=compiler.get_converters(columns),
            rows=_rows(queryset, compiler, using),
            locks=queryset.query.select_for_update
            and compiler.connection.features.has_select_for_update,
        )


def _value(args: tuple[Any, ...], slot: Slot) -> Any:
    position, element = slot
    if position is None:
        return element  # a value of the SELECT itself
    return args[position] if element is None else args[position][element]


def _hashable(value: object) -> bool:
    return isinstance(value, int | str)


def _check(sql: str, params: Any, where: dict[Any, Any], slots: list[Slot]) -> None:
    """Every argument must reach the parameters as it was given, and only there."""
    found = {slot for slot in slots if slot[0] is not None}
    missing = set(where.values()) - found
    stray = [p for p in params if isinstance(p, str) and _SENTINEL_MARK in p and p not in where]
    inlined = [value for value in where if str(value).lstrip("-") in sql]
    if missing or stray or inlined:
        raise RuntimeError(f"this SELECT changes or inlines its arguments: {sql}")


def _rows(queryset: models.QuerySet[Any], compiler: Any, using: str) -> _Rows:
    iterable = queryset._iterable_class.__name__
    if iterable == "FlatValuesListIterable":
        return _Rows("flat")
    if iterable == "ValuesListIterable":
        names = [*queryset.query.extra_select, *queryset.query.values_select]
        names += list(queryset.query.annotation_select)
        if queryset._fields and list(queryset._fields) != names:  # type: ignore[attr-defined]
            raise RuntimeError("values_list in another order than its columns")
        return _Rows("tuples")
    info = compiler.klass_info
    if iterable != "ModelIterable" or compiler.annotation_col_map:
        raise RuntimeError(f"a compiled SELECT does not read {iterable} rows or annotations")
    start, end = info["select_fields"][0], info["select_fields"][-1] + 1
    return _Rows(
        "model",
        model=info["model"],
        init_list=tuple(column[0].target.attname for column in compiler.select[start:end]),
        span=(start, end),
        # Django 5.2's signature; the stubs follow a later Django's.
        related=tuple(get_related_populators(info, compiler.select, using)),  # type: ignore[call-arg]
    )
