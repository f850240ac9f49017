"""The household list served to phones as the entity list `households.csv`.

The list is streamed (flat memory for any size) from lines stored with each household (lines.py),
and its version token comes from one aggregate over an index: it changes when a line this person
gets changes, enters or leaves their list, or the list's columns change, and otherwise stays,
so a phone downloads the list again only for different bytes.
"""

import csv
import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    BinaryField,
    Case,
    Count,
    F,
    Func,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Mod

from backend.accounts.access import Actor
from backend.households.access import households_for_actor
from backend.households.lines import SERVER_COLUMNS, SYSTEM_COLUMNS, list_layout, list_line
from backend.households.models import Household, RefusedHousehold
from backend.projects.models import Project

_CHUNK = 2000
_BLOCK = 64 * 1024  # bytes handed to the server at a time: not one write per household


def households_for_phone(*, project: Project, actor: Actor) -> QuerySet[Household]:
    """The households on this person's phone: exactly those they may see."""
    return households_for_actor(actor=actor, project=project)


@dataclass(frozen=True)
class ListSummary:
    token: str  # the manifest hash and ETag
    count: int  # households in the list


def household_list_token(project: Project, households: QuerySet[Household]) -> str:
    """A version token for the list (the manifest hash): changes exactly when the list does."""
    return household_list_summary(project, households).token


def household_list_summary(project: Project, households: QuerySet[Household]) -> ListSummary:
    """The list's version token and size.

    A write that changes a household's line gives it a change number above all the project's
    others (lines.py, derived.py), so their sum moves when a line in the scope changes or one
    enters, and the count when one leaves; a second, scrambled sum tells apart two scopes of the
    same size and sum. The layout moves when the forms read other columns, and so the header.
    Writes that skipped the services are caught too: the sum of versions (an update() of rows)
    and the latest `updated_at` no service counted (a save()). Rendering lines again changes
    none of these. All come from one index. Nothing else enters: whoever asks, a list of the
    same bytes has the same token.
    """
    summary = households.aggregate(
        n=Count("*"),  # not "id": the index holds no id, and so answers alone
        changes=Sum("list_change"),
        scrambled=Sum(_scrambled(F("list_change"))),
        versions=Sum("version"),
        uncounted=Max(
            Case(When(list_counted_at=F("updated_at"), then=None), default=F("updated_at"))
        ),
    )
    layout = list_layout(project.pk)
    keys = ("n", "changes", "scrambled", "versions", "uncounted")
    text = "|".join([*(str(summary[key]) for key in keys), str(layout.id)])
    token = hashlib.md5(text.encode()).hexdigest()  # noqa: S324  a token, not a security hash
    return ListSummary(token=token, count=summary["n"] or 0)


# A multiplicative congruential generator (MINSTD): each change number maps to another in
# [0, 2^31 - 1), so that two sets with the same sum rarely have the same sum of these too. Small
# enough that neither the products nor a million of them summed overflow 64-bit integers.
_MINSTD_MULTIPLIER = 48271
_MINSTD_MODULUS = 2**31 - 1


def _scrambled(number: F) -> Mod:
    return Mod(Mod(number, _MINSTD_MODULUS) * _MINSTD_MULTIPLIER, _MINSTD_MODULUS)


def household_list_rows(project: Project, households: QuerySet[Household]) -> Iterator[bytes]:
    """Stream the list as CSV: name, label, __version, then server columns and the properties
    the project's forms read.

    Each household's line is stored when it is written (lines.py), so the database reads text
    in the scope's order; a stale line is rendered on the fly by the same SQL expression.
    """
    layout = list_layout(project.pk)
    yield _line([*SYSTEM_COLUMNS, *SERVER_COLUMNS, *layout.properties])
    line = list_line(layout)
    if connections[households.db].vendor == "postgresql":
        # As bytes: the driver hands them over without decoding each line.
        line = Func(line, Value("UTF8"), function="convert_to", output_field=BinaryField())
    # A look-back campaign's households and the houses re-inspected for the county first (the
    # worker visits them now), then the others: two reads in the code index's order, not a
    # sort of the whole list.
    first = ~Q(campaign="") | Q(reinspector__isnull=False)
    for part in (households.filter(first), households.exclude(first)):
        lines = part.annotate(c_line=line).order_by("code").values_list("c_line", flat=True)
        if connections[households.db].vendor == "postgresql":
            yield from _blocks(_postgresql_lines(lines))
        else:
            yield from _blocks(text.encode() for text in lines.iterator(chunk_size=_CHUNK))


def _postgresql_lines(rows: QuerySet) -> Iterator[bytes]:
    """The lines as bytes from a server-side cursor in binary mode: no decoding per row."""
    connection = connections[rows.db]
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a scope that can hold nothing (households.none())
        return
    # A phone hanging up mid-list closes this generator, which closes the cursor; its own
    # (savepoint) transaction keeps whatever runs next on the connection clear of it.
    with transaction.atomic(using=rows.db), connection.cursor() as cursor:
        statement = cursor.mogrify(sql, params)
        statement = statement.decode() if isinstance(statement, bytes) else statement
        # The query carries the whole rendering expression for stale lines: compiling it (JIT)
        # took seconds on a million households, for a read that is mostly stored text.
        cursor.execute("SET LOCAL jit = off")
        named = connection.connection.cursor(name=f"household_list_{id(rows)}", binary=True)
        with named:
            named.itersize = _CHUNK
            named.execute(statement)
            while batch := named.fetchmany(_CHUNK):
                yield b"".join(row[0] for row in batch)


def _blocks(parts: Iterator[bytes]) -> Iterator[bytes]:
    buffer: list[bytes] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= _BLOCK:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def _line(values: list[object]) -> bytes:
    # Values go as they are, without the leading ' the exports put before `= + - @`
    # (backend.exports.formulas): ODK Collect reads this file as data, never as a spreadsheet,
    # and the forms compare and show the values, which an apostrophe would change.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def household_states(*, project: Project, actor: Actor, ids: list[str]) -> dict[str, bool]:
    """Integrity for offline-created entities: deleted=False for households the actor sees,
    deleted=True for those a registration created on a phone and the registry refused (its code
    already used, its village unknown...), so the phone drops them rather than keeping them.

    Other ids are left out, as the protocol allows: unknown ones, those out of the actor's
    sight, and those of households deleted in the admin (no record of a deletion is kept).
    """
    wanted = _uuids([i for i in ids if len(i) == 36])
    visible = households_for_phone(project=project, actor=actor).filter(uuid__in=wanted)
    found = {str(u) for u in visible.values_list("uuid", flat=True)}
    # A refused household that a later run created after all is no longer refused.
    refused = (
        RefusedHousehold.objects.filter(project=project, uuid__in=wanted)
        .exclude(uuid__in=Household.objects.filter(uuid__in=wanted).values("uuid"))
        .values_list("uuid", flat=True)
    )
    gone = {str(u) for u in refused}
    return {i: i in gone for i in ids if i in found or i in gone}


def _uuids(ids: list[str]) -> list[str]:
    valid = []
    for entity_id in ids:
        try:
            valid.append(str(uuid.UUID(entity_id)))
        except ValueError:
            continue
    return valid
