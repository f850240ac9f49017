"""The household list served to phones as the entity list `households.csv`.

The list is streamed (flat memory for any size) and its version token comes from one aggregate
query: it changes whenever a household this person sees is added, removed or saved, because every
write goes through a service that saves the row (and so moves `updated_at` and the version).
"""

import csv
import hashlib
import io
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Count, F, Max, QuerySet, Sum, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, NullIf

from backend.accounts.access import Actor
from backend.households.access import households_for_actor
from backend.households.columns import property_keys
from backend.households.models import Household
from backend.projects.models import Project

# Entity-spec columns first; then the server's own, then every entity property, sorted.
SYSTEM_COLUMNS = ("name", "label", "__version")
SERVER_COLUMNS = ("village", "review_note")
_CHUNK = 2000


def households_for_phone(*, project: Project, actor: Actor) -> QuerySet[Household]:
    """The households on this person's phone: exactly those they may see."""
    return households_for_actor(actor=actor, project=project)


def household_list_token(households: QuerySet[Household]) -> str:
    """A version token for the list (the manifest hash): changes exactly when the list does."""
    summary = households.aggregate(
        n=Count("id"), changed=Max("updated_at"), versions=Sum("version")
    )
    try:
        scope = str(households.query)  # differs between people who see different households
    except EmptyResultSet:
        scope = "none"
    text = f"{summary['n']}|{summary['changed']}|{summary['versions']}|{scope}"
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324  a token, not a security hash


def household_list_rows(project: Project, households: QuerySet[Household]) -> Iterator[bytes]:
    """Stream the list as CSV lines: name, label, __version, then server columns and properties.

    On PostgreSQL the database writes the rows itself (COPY ... TO STDOUT): a million households
    stream in seconds, where building a Python object per row would take minutes.
    """
    properties = _property_columns(project)
    yield _line([*SYSTEM_COLUMNS, *SERVER_COLUMNS, *properties])
    rows = _row_values(households, properties)
    if connections[households.db].vendor == "postgresql":
        yield from _copy_csv(rows)
    else:
        yield from _python_csv(rows)


def household_list_csv(project: Project, households: QuerySet[Household]) -> bytes:
    """The whole list at once (small lists and tests)."""
    return b"".join(household_list_rows(project, households))


def _row_values(households: QuerySet[Household], properties: list[str]) -> QuerySet:
    """One row per household, every column a string or NULL (written as an empty field)."""
    on_postgresql = connections[households.db].vendor == "postgresql"
    columns = {
        # PostgreSQL writes a uuid as text with dashes; SQLite stores it as bare hex, so there the
        # value stays a UUID and csv writes it with dashes.
        "c_name": Cast("uuid", TextField()) if on_postgresql else F("uuid"),
        "c_label": _text_or_null("label"),
        "c_version": F("version"),
        "c_village": F("village__code"),
        "c_note": _text_or_null("review_note"),
    }
    for index, key in enumerate(properties):
        # KeyTextTransform takes the key as it is (KT("a__b") would read a path).
        columns[f"p{index}"] = _text_or_null(KeyTextTransform(key, "properties"))
    return households.annotate(**columns).order_by("code").values_list(*columns)


def _text_or_null(expression: Any) -> NullIf:
    """Empty text as NULL, so both writers leave the field empty rather than quoting it."""
    return NullIf(expression, Value(""), output_field=TextField())


def _copy_csv(rows: QuerySet) -> Iterator[bytes]:
    connection = connections[rows.db]
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a scope that can hold nothing (households.none())
        return
    # A phone that hangs up mid-list closes this generator: the driver then cancels the COPY,
    # which fails the transaction it ran in. Its own (savepoint) transaction keeps that failure
    # from spoiling the connection for whatever runs next on it.
    with transaction.atomic(using=rows.db), connection.cursor() as cursor:
        # COPY takes no bound parameters: the driver inlines them with its own quoting.
        statement = cursor.mogrify(sql, params)
        statement = statement.decode() if isinstance(statement, bytes) else statement
        with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                yield bytes(block)


def _python_csv(rows: QuerySet) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    batch: list[tuple] = []
    for row in rows.iterator(chunk_size=_CHUNK):
        batch.append(tuple("" if value is None else value for value in row))
        if len(batch) == _CHUNK:
            yield _flush(writer, buffer, batch)
    if batch:
        yield _flush(writer, buffer, batch)


def _flush(writer: Any, buffer: io.StringIO, batch: list[tuple]) -> bytes:
    writer.writerows(batch)
    batch.clear()
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def _property_columns(project: Project) -> list[str]:
    return [key for key in property_keys(project.pk) if key not in SERVER_COLUMNS]


def _line(values: list[object]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def household_states(*, project: Project, actor: Actor, ids: list[str]) -> dict[str, bool]:
    """Integrity for offline-created entities: deleted=False for households the actor sees.

    Unknown ids are left out, as the protocol allows; households are never deleted yet.
    """
    wanted = [i for i in ids if len(i) == 36]
    visible = households_for_phone(project=project, actor=actor).filter(uuid__in=_uuids(wanted))
    found = {str(u) for u in visible.values_list("uuid", flat=True)}
    return {entity_id: False for entity_id in ids if entity_id in found}


def _uuids(ids: list[str]) -> list[str]:
    valid = []
    for entity_id in ids:
        try:
            valid.append(str(uuid.UUID(entity_id)))
        except ValueError:
            continue
    return valid
