"""A form's CSV tables written by PostgreSQL itself: one `COPY (SELECT ...) TO STDOUT` per table.

The Python writer (`form_export._write`) costs about 90 µs a row, most of it shaping rows; here
the database reads the answers out of the JSON (`jsonb_to_record`), splits geopoints and
select_multiple answers, puts labels in and masks personal data, and streams CSV blocks that go
straight into the table's spool. The bytes are the same as the Python writer's
(tests/exports/test_copy_csv.py compares them), so every expression below mirrors a transform in
`backend.exports.tables`:

- empty and missing answers are both empty fields (COPY would quote an empty string: NULLIF);
- rows end in CRLF as Python's csv module writes them (COPY writes LF: `_crlf`), line breaks
  inside quoted answers are kept as they are;
- the mask is `backend.review.answers.hidden` written in SQL.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.exports.models import Export
from backend.exports.progress import Progress
from backend.exports.tables import NUMBER_PATTERN, Column, Table
from backend.exports.writers import CsvZipWriter
from backend.review.answers import partly_shown
from backend.submissions.models import Submission
from forms.models import FormVersion

# An answer's space-separated tokens, as Python's str.split() gives them.
_TOKENS = (
    "regexp_split_to_array(regexp_replace({x}, '^[[:space:]]+|[[:space:]]+$', '', 'g'), "
    "'[[:space:]]+')"
)
_OBJECT = "CASE WHEN jsonb_typeof({v}) = 'object' THEN {v} ELSE '{{}}'::jsonb END"
_ARRAY = "CASE WHEN jsonb_typeof({v}) = 'array' THEN {v} ELSE '[]'::jsonb END"


def copy_form_csv(
    writer: CsvZipWriter, root: Table, submissions: QuerySet[Submission], export_id: int
) -> int:
    """Append every table's rows to its spool (headers are already written); return the number
    of submissions.

    Progress: each table is an equal share. The submissions table's share grows as its rows
    arrive; a repeat table's share counts when it is done (COPY cannot say how many of its
    rows are still to come, and counting them first would read everything twice).
    """
    try:
        ids_sql, ids_params = submissions.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that holds nothing
        return 0
    paths = list(_paths(root))
    count = submissions.count()
    progress = _SideProgress(export_id, count * len(paths))
    rows = 0
    with connection.cursor() as cursor, progress, _zone(cursor):
        for path in paths:
            statement = cursor.mogrify(_table_sql(path, ids_sql), ids_params)
            statement = statement.decode() if isinstance(statement, bytes) else statement
            output = writer.raw(path[-1].index)
            copied = _copy(cursor, statement, output, progress if len(path) == 1 else None)
            if len(path) == 1:
                rows = copied
            else:
                progress.step(count)
    return rows


@contextmanager
def _zone(cursor: Any) -> Iterator[None]:
    """The server's time zone for this connection while it copies (to_char writes times in the
    session's zone, one call a row), then the zone Django set back."""
    cursor.execute("SELECT current_setting('TimeZone')")
    previous = cursor.fetchone()[0]
    cursor.execute(
        "SELECT set_config('TimeZone', %s, false)", [timezone.get_current_timezone_name()]
    )
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('TimeZone', %s, false)", [previous])


class _SideProgress(Progress):
    """Progress written on a second connection: the export's own connection is busy streaming
    the COPY and takes no other statement until it ends. Opened at the first save, so small
    exports never open it; the task records the final state on its own connection."""

    def __init__(self, export_id: int, total: int) -> None:
        super().__init__(export_id, total)
        self._side: Any = None

    def save(self) -> None:
        self._last = time.monotonic()
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Export._meta.db_table} SET progress = %s WHERE id = %s",  # noqa: S608
                [min(99, self.done * 100 // self.total), self.export_id],
            )

    def __enter__(self) -> "_SideProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._side is not None:
            self._side.close()


def _copy(cursor: Any, statement: str, output: IO[bytes], progress: Progress | None) -> int:
    rows, inside = 0, False
    with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            data, lines, inside = _crlf(bytes(block), inside)
            output.write(data)
            rows += lines
            if progress is not None:
                progress.step(lines)
    return rows


def _crlf(block: bytes, inside: bool) -> tuple[bytes, int, bool]:
    """Row ends LF -> CRLF, leaving line breaks inside quoted fields alone; count the rows.

    Splitting on the quote character alternates outside/inside a quoted field (a doubled
    quote inside a field toggles twice), so only every other piece holds row ends. `inside`
    carries the state from one block to the next.
    """
    pieces = block.split(b'"')
    rows = 0
    for index, piece in enumerate(pieces):
        if index:
            inside = not inside
        if not inside and b"\n" in piece:
            rows += piece.count(b"\n")
            pieces[index] = piece.replace(b"\n", b"\r\n")
    return b'"'.join(pieces), rows, inside


def _paths(root: Table) -> Iterator[list[Table]]:
    """Each table with the tables above it, root first, in `root.walk()` order."""

    def walk(table: Table, above: list[Table]) -> Iterator[list[Table]]:
        path = [*above, table]
        yield path
        for child in table.children:
            yield from walk(child, path)

    yield from walk(root, [])


def _table_sql(path: list[Table], ids_sql: str) -> str:
    """The SELECT of one table. Values from the form (keys, choices, labels) are SQL literals:
    COPY takes no bound parameters, and they are repeated inside expressions."""
    table = path[-1]
    tokens, token_joins = _tokens(table.columns)
    answers = [_column(column, tokens) for column in table.columns]
    record = ", ".join(f"{quote(k)} text" for k in table.distinct_keys) or "none_ text"
    record += f") {token_joins}"
    if len(path) == 1:
        return _root_sql(answers, record, ids_sql)
    joins, keys, order, objects = [], ["s.instance_id"], ["s.id"], []
    parent = "s.fields"
    for level, child in enumerate(path[1:], start=1):
        entry, items = f"e{level}", _ARRAY.format(v=f"{parent} -> {literal(child.key)}")
        joins.append(
            f"CROSS JOIN LATERAL jsonb_array_elements({items}) WITH ORDINALITY AS {entry}(value, n)"
        )
        keys.append(f"{keys[-1]} || {literal(f'/{child.name}[')} || {entry}.n || ']'")
        order.append(f"{entry}.n")
        objects.append(f"jsonb_typeof({entry}.value) = 'object'")
        parent = f"{entry}.value"
    select = [*answers, _text(keys[-2]), _text(keys[-1])]
    return (
        f"SELECT {', '.join(select)} FROM {Submission._meta.db_table} s "  # noqa: S608
        f"{' '.join(joins)} "
        f"CROSS JOIN LATERAL jsonb_to_record({parent}) AS r({record} "
        f"WHERE {' AND '.join(objects)} AND s.id IN ({ids_sql}) ORDER BY {', '.join(order)}"
    )


def _root_sql(answers: list[str], record: str, ids_sql: str) -> str:
    # SubmissionDate as Python's isoformat(timespec="seconds"), in the time zone `_zone` sets.
    received = "to_char(s.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"
    meta = ["s.instance_id", "u.username", "s.device_id", "s.review_state", "v.version"]
    select = [_text(received), *answers, *(_text(m) for m in meta)]
    return (
        f"SELECT {', '.join(select)} FROM {Submission._meta.db_table} s "  # noqa: S608
        f"LEFT JOIN {User._meta.db_table} u ON u.id = s.submitted_by_id "
        f"LEFT JOIN {FormVersion._meta.db_table} v ON v.id = s.form_version_id "
        f"CROSS JOIN LATERAL jsonb_to_record({_OBJECT.format(v='s.fields')}) AS r({record} "
        f"WHERE s.id IN ({ids_sql}) ORDER BY s.id"
    )


def _tokens(columns: list[Column]) -> tuple[dict[str, str], str]:
    """Split each answer that needs its tokens once a row (a geopoint has four columns)."""
    keys = [c.key for c in columns if c.part is not None or c.choice is not None or c.labels]
    aliases = {key: f"tk{index}.t" for index, key in enumerate(dict.fromkeys(keys))}
    joins = " ".join(
        f"CROSS JOIN LATERAL (SELECT {_TOKENS.format(x=f'r.{quote(key)}')} AS t) {alias[:-2]}"
        for key, alias in aliases.items()
    )
    return aliases, joins


def _column(column: Column, token_sets: dict[str, str]) -> str:
    """One column as SQL on the record `r`."""
    answer = f"r.{quote(column.key)}"
    tokens = token_sets.get(column.key, "")
    if column.part is not None:
        part = f"({tokens})[{column.part + 1}]"
        value = f"CASE WHEN {part} ~ {literal(NUMBER_PATTERN)} THEN {part} END"
    elif column.choice is not None:
        value = (
            f"CASE WHEN coalesce({answer}, '') = '' THEN NULL "
            f"WHEN {literal(column.choice)} = ANY({tokens}) THEN '1' ELSE '0' END"
        )
    elif column.labels is not None and column.kind == "select_one":
        value = f"CASE {answer} {_whens(column.labels)} ELSE {answer} END"
    elif column.labels is not None:
        value = (
            f"(SELECT string_agg(CASE t {_whens(column.labels)} ELSE t END, ', ' "  # noqa: S608
            f"ORDER BY n) FROM unnest({tokens}) WITH ORDINALITY AS u(t, n) WHERE t <> '')"
        )
    else:
        value = answer
    if column.hidden:
        value = _masked(value, partly=partly_shown(column.key))
    return _text(value)


def _whens(labels: dict[str, str]) -> str:
    return " ".join(f"WHEN {literal(v)} THEN {literal(label)}" for v, label in labels.items())


def _masked(value: str, *, partly: bool) -> str:
    """`backend.review.answers.hidden` in SQL: ID numbers keep 3 leading and 2 trailing
    characters when at least 10 long; everything else becomes ****."""
    shown = "'****'"
    if partly:
        length = f"char_length({value})"
        shown = (
            f"CASE WHEN {length} >= 10 THEN left({value}, 3) || repeat('*', {length} - 5) "
            f"|| right({value}, 2) ELSE '****' END"
        )
    return f"CASE WHEN coalesce({value}, '') = '' THEN NULL ELSE {shown} END"


def literal(text: str) -> str:
    """A string literal (standard_conforming_strings, PostgreSQL's default since 9.1), with
    `%` doubled for the driver's mogrify, which fills in the selection's parameters."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _text(value: str) -> str:
    # COPY quotes an empty string ("") to tell it from NULL; Python's csv writes nothing.
    return f"NULLIF(({value})::text, '')"


def quote(key: str) -> str:
    """A JSON key as a column name for jsonb_to_record (keys are XML names: no quotes)."""
    return '"' + key.replace('"', '""') + '"'
