"""An UPDATE of one row built from query expressions once, run many times with plain SQL.

Django builds and compiles a query's expressions on every call; for an UPDATE run on every
visit (a household's list line, a submission's risk score) that was a fifth to an eighth of a
merge's CPU. The caller keeps what this returns (lru_cache, keyed on what the expressions
depend on) and executes it with the row's id appended to the parameters.
"""

from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.sql import UpdateQuery

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
