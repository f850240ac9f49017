"""Statements written on every request or visit, compiled by Django once and run many times.

Django builds and compiles a query's expressions on every call; for an UPDATE run on every
visit (a household's list line, a submission's risk score) that was a fifth to an eighth of a
merge's CPU, and the ORM's INSERT of a received submission a sixth of the intake's. The caller
keeps the UPDATE this returns (lru_cache, keyed on what the expressions depend on) and executes
it with the row's id appended to the parameters; the INSERT is kept here, per model.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery, UpdateQuery

# Stands for the row's id while the UPDATE is compiled; each call gives the real one.
_ANY_ID = -1


Compiled = tuple[str, tuple[Any, ...]]


def update_of_one_row(model: type[models.Model], values: dict[str, Any]) -> Compiled:
    """The UPDATE setting `values` on one row of `model`, as SQL and its parameters without the
    row's id, which is the statement's last parameter."""
    # chain(klass) makes a query of that class; the stubs type every chain as a plain Query.
    query = cast(UpdateQuery, model._default_manager.filter(pk=_ANY_ID).query.chain(UpdateQuery))
    query.add_update_values(values)
    sql, params = query.get_compiler(DEFAULT_DB_ALIAS).as_sql()
    if not params or params[-1] != _ANY_ID:
        raise RuntimeError("the row's id is not the UPDATE's last parameter")
    return sql, tuple(params[:-1])


@dataclass(frozen=True)
class RowInsert:
    """An INSERT of one new row compiled once: its SQL, and the fields whose values it takes
    in that order."""

    sql: str
    fields: tuple[models.Field[Any, Any], ...]

    def run(self, row: models.Model, using: str = DEFAULT_DB_ALIAS) -> bool:
        """Insert `row` (its generated key set from the database); False when the INSERT was
        one that does nothing on a conflict and did nothing."""
        connection = connections[using]
        params = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in self.fields]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            returned = cursor.fetchone()
        if returned is None:
            return False
        row.pk = returned[0]
        row._state.adding, row._state.db = False, using
        return True


@cache
def insert_of_one_row(
    model: type[models.Model], *, unless_conflict: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RowInsert:
    """The INSERT of one `model` row with every column but a generated key, returning the key;
    with `unless_conflict`, one that does nothing when the row would break a unique constraint
    (ON CONFLICT DO NOTHING; on SQLite INSERT OR IGNORE).

    What Model.save() does apart from the SQL (signals, validation) is not done: for models
    that nothing listens to, written on every request. On SQLite OR IGNORE also skips a row
    that breaks a NOT NULL or CHECK constraint: a caller treats "nothing inserted" as "do it
    the ordinary way", which raises the error."""
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if unless_conflict else None)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(using)
    compiler.returning_fields = [meta.pk]
    (sql, _params), *rest = compiler.as_sql()
    if rest or "RETURNING" not in sql.upper():
        raise RuntimeError(f"{connections[using].vendor} cannot insert {meta.label} this way")
    return RowInsert(sql=sql, fields=fields)
