"""A form's CSV tables written by PostgreSQL itself: `COPY (SELECT ...) TO STDOUT (FORMAT csv)`
per table (the SELECTs are in backend.exports.copy_sql), the CSV blocks going straight into the
table's spool. The bytes are the Python writer's (`form_export._write_rows`); COPY ends rows
with LF where Python's csv module writes CRLF (`_crlf`), and line breaks inside quoted answers
are kept as they are.

PostgreSQL runs one query on one core. A large export is therefore cut into ranges of
submission ids, and the ranges are copied on `WORKERS` connections at once, each into its own
part of the table's spool, which the zip joins in order. The connections share one snapshot
(`pg_export_snapshot`), so all the tables show the same submissions even while phones send new
ones. The threads mostly wait on their sockets; the work is done by the database backends.
"""

import queue
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import IO, Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.utils import timezone

from backend.exports.copy_sql import table_sql
from backend.exports.progress import Progress
from backend.exports.tables import Table
from backend.exports.writers import CsvZipWriter
from backend.submissions.models import Submission

WORKERS = 2  # connections copying at once: the cores PostgreSQL has for this export
PARTS = 2 * WORKERS  # id ranges per table: more than the workers, so none waits long
PARALLEL_FROM = 20_000  # submissions; below that, one connection is about as quick
_BATCH = 500  # COPY blocks (one a row) joined before the CRLF pass: fewer Python calls
_PROGRESS_SECONDS = 2.0


class _Stopped(Exception):
    """Another worker failed: this one leaves its COPY."""


@dataclass
class _Part:
    """One id range of one table, copied into its own spool."""

    statement: str
    output: IO[bytes]
    submissions: int  # about how many submissions it covers, for progress
    root: bool  # a range of the submissions table (its rows are submissions)
    rows: int = 0
    done: bool = False

    @property
    def progress(self) -> int:
        # A repeat table counts when done: COPY cannot say how many of its rows are to come.
        if self.root:
            return min(self.rows, self.submissions)
        return self.submissions if self.done else 0


def copy_form_csv(
    writer: CsvZipWriter, root: Table, submissions: QuerySet[Submission], export_id: int
) -> int:
    """Append every table's rows to its spool (headers are already written); return the number
    of submissions. Progress: each table is an equal share."""
    try:
        ids_sql, ids_params = submissions.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that holds nothing
        return 0
    paths, ids = list(_paths(root)), (ids_sql, ids_params)
    count = submissions[:PARALLEL_FROM].count()
    if count < PARALLEL_FROM:
        return _copy_here(writer, paths, ids, count, export_id)
    with _snapshot() as (lead, snapshot):
        ranges = _ranges(lead, ids, PARTS)
        parts = [
            _Part(
                _statement(lead, path, ids, since, until),
                writer.part(path[-1].index),
                size,
                root=len(path) == 1,
            )
            for path in paths
            for since, until, size in ranges
        ]
        total = sum(size for _, _, size in ranges) * len(paths)
        _run(parts, snapshot, Progress(export_id, total))
    return sum(part.rows for part in parts if part.root)


def _copy_here(
    writer: CsvZipWriter, paths: list[list[Table]], ids: tuple[str, Any], count: int, export: int
) -> int:
    """A small export on the export's own connection, one table after the other; progress is
    saved between tables (the connection takes no other statement while it copies)."""
    progress, rows = Progress(export, count * len(paths)), 0
    with connection.cursor() as cursor, _zone(cursor):
        for path in paths:
            part = _Part(
                _statement(cursor, path, ids, None, None),
                writer.part(path[-1].index),
                count,
                root=len(path) == 1,
            )
            _copy(cursor, part, threading.Event())
            rows = part.rows if part.root else rows
            progress.step(count)
    return rows


def _statement(cursor: Any, path: list[Table], ids: tuple[str, Any], *bounds: int | None) -> str:
    # COPY takes no bound parameters: the driver inlines the selection's with its quoting.
    statement = cursor.mogrify(table_sql(path, ids[0], *bounds), ids[1])
    statement = statement.decode() if isinstance(statement, bytes) else statement
    return f"COPY ({statement}) TO STDOUT (FORMAT csv)"


@contextmanager
def _snapshot() -> Iterator[tuple[Any, str]]:
    """A connection in a read-only repeatable-read transaction, and its snapshot's name for
    the workers to share; held until they are done."""
    lead = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with lead.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor, cursor.fetchone()[0]
            cursor.execute("COMMIT")
    finally:
        lead.close()


def _ranges(cursor: Any, ids: tuple[str, Any], parts: int) -> list[tuple[Any, Any, int]]:
    """The selection cut into `parts` ranges of ids of equal size: (from, to, size), from
    included, to excluded, None for an open end. One pass over the ids, which also counts
    them in the snapshot."""
    cursor.execute(
        f"SELECT min(pk), count(*) FROM (SELECT pk, ntile(%s) OVER (ORDER BY pk) AS n "  # noqa: S608
        f"FROM ({ids[0]}) q) t GROUP BY n ORDER BY n",
        [parts, *ids[1]],
    )
    found = cursor.fetchall()
    starts = [None, *(start for start, _ in found[1:]), None]
    bounds = pairwise(starts) if found else []
    return [(*bound, size) for bound, (_, size) in zip(bounds, found, strict=True)]


def _run(parts: list[_Part], snapshot: str, progress: Progress) -> None:
    """Copy the parts on WORKERS connections, taking them in order; save progress meanwhile.
    The first failure stops the other workers and is raised here."""
    todo: queue.SimpleQueue[_Part] = queue.SimpleQueue()
    for part in parts:
        todo.put(part)
    stop, zone = threading.Event(), timezone.get_current_timezone_name()
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="export-copy") as pool:
        workers = [pool.submit(_work, todo, snapshot, zone, stop) for _ in range(WORKERS)]
        try:
            _watch(workers, parts, progress)
        finally:
            stop.set()
    for worker in workers:
        worker.result()


def _watch(workers: list[Future[None]], parts: list[_Part], progress: Progress) -> None:
    while True:
        finished, running = wait(workers, _PROGRESS_SECONDS, return_when=FIRST_EXCEPTION)
        if any(worker.exception() for worker in finished) or not running:
            return
        progress.done = sum(part.progress for part in parts)
        progress.save()


def _work(
    todo: "queue.SimpleQueue[_Part]", snapshot: str, zone: str, stop: threading.Event
) -> None:
    """One worker: its own connection, in the shared snapshot, copying parts until none is
    left."""
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
            # The parts are the parallelism: PostgreSQL's own workers would only compete.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT set_config('TimeZone', %s, true)", [zone])
            while not stop.is_set():
                try:
                    part = todo.get_nowait()
                except queue.Empty:
                    break
                _copy(cursor, part, stop)
            cursor.execute("COMMIT")
    except _Stopped:
        pass  # the failure is another worker's, raised by `_run`
    except BaseException:
        stop.set()
        raise
    finally:
        own.close()


def _copy(cursor: Any, part: _Part, stop: threading.Event) -> None:
    inside, batch = False, []
    with cursor.cursor.copy(part.statement) as copy:
        for block in copy:
            batch.append(block)
            if len(batch) >= _BATCH:
                data, lines, inside = _crlf(b"".join(batch), inside)
                batch.clear()
                part.output.write(data)
                part.rows += lines
                if stop.is_set():
                    raise _Stopped  # leaving the block with an exception cancels the COPY
        data, lines, inside = _crlf(b"".join(batch), inside)
    part.output.write(data)
    part.rows += lines
    part.done = True


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
