"""A SELECT compiled once (backend/core/compiled_select.py) answers as its queryset does, on every
call, with whatever arguments; one it cannot run faithfully is refused when it is compiled."""

from datetime import UTC, datetime

import pytest
from django.db import connection, connections, models, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from backend.accounts.models import User
from backend.core import compiled_select
from backend.core.compiled_select import CompiledSelect
from backend.projects.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def people() -> list[User]:
    return [
        UserFactory(username=name, is_active=name != "cai", date_joined=JOINED)
        for name in ("ann", "bo", "cai")
    ]


def _by_ids(ids: list[int]):
    return User.objects.filter(pk__in=ids).order_by("pk")


def test_model_rows_are_the_querysets_on_every_call(people):
    select = CompiledSelect(_by_ids)
    for ids in ([people[0].pk], [people[1].pk, people[2].pk], [people[2].pk]):
        rows = select.rows(ids)
        expected = list(_by_ids(ids))

        assert rows == expected
        assert [(u.username, u.is_active, u.date_joined) for u in rows] == [
            (u.username, u.is_active, u.date_joined) for u in expected
        ]
        assert not rows[0]._state.adding


def test_values_are_converted_as_django_converts_them(people):
    # SQLite keeps booleans as integers and times as text: the converters turn them back.
    select = CompiledSelect(
        lambda name: User.objects.filter(username=name).values_list(
            "is_active", "date_joined", "username"
        )
    )

    assert select.rows("cai") == [(False, JOINED, "cai")]
    assert select.rows("ann") == [(True, JOINED, "ann")]
    assert select.rows("nobody") == []


def test_flat_values_and_constants_in_the_query(people):
    select = CompiledSelect(
        lambda ids: (
            User.objects.filter(pk__in=ids, is_active=True)
            .order_by("username")
            .values_list("username", flat=True)
        )
    )

    assert select.rows([p.pk for p in people]) == ["ann", "bo"]
    assert select.rows([people[2].pk]) == []


def test_an_empty_list_reads_nothing(people):
    select = CompiledSelect(_by_ids)

    with CaptureQueriesContext(connection) as queries:
        assert select.rows([]) == []
    assert not queries.captured_queries


def test_the_sql_is_compiled_once_per_shape(people, monkeypatch):
    select = CompiledSelect(_by_ids)
    built = []
    monkeypatch.setattr(select, "build", lambda ids: built.append(len(ids)) or _by_ids(ids))

    select.rows([people[0].pk])
    select.rows([people[1].pk])
    select.rows([people[0].pk, people[1].pk])

    assert built == [1, 2]


def test_a_long_list_runs_as_the_queryset_and_keeps_no_plan(people, monkeypatch):
    monkeypatch.setattr(compiled_select, "KEPT_LIST_LENGTH", 2)
    select = CompiledSelect(_by_ids)
    ids = [p.pk for p in people]

    assert select.rows(ids) == list(_by_ids(ids))
    assert select.rows(ids[:2]) == list(_by_ids(ids[:2]))
    kept = connections["default"].__dict__.get("compiled_selects", {})
    assert [shape for owner, shape in kept if owner is select] == [(2,)]


def test_an_argument_django_changes_is_refused(people):
    starting = CompiledSelect(lambda prefix: User.objects.filter(username__startswith=prefix))

    with pytest.raises(RuntimeError, match="changes or inlines"):
        starting.rows("a")


def test_arguments_other_than_ints_and_strings_are_refused(people):
    joined = CompiledSelect(lambda when: User.objects.filter(date_joined=when))

    with pytest.raises(TypeError):
        joined.rows(JOINED)


def test_select_related_fills_the_related_rows(people):
    membership = MembershipFactory(user=people[0])
    related = CompiledSelect(
        lambda pk: (
            Membership.objects.select_related("user", "project")
            .defer("project__icon")
            .filter(pk=pk)
        )
    )

    (row,) = related.rows(membership.pk)
    (again,) = related.rows(membership.pk)

    assert row == membership
    assert again == membership
    with CaptureQueriesContext(connection) as queries:
        assert row.user.username == people[0].username
        assert row.project.slug == membership.project.slug
    assert not queries.captured_queries
    assert "icon" in row.project.get_deferred_fields()


def test_annotations_on_model_rows_are_refused(people):
    annotated = CompiledSelect(lambda pk: User.objects.filter(pk=pk).annotate(n=models.Value(1)))

    with pytest.raises(RuntimeError, match="annotations"):
        annotated.rows(people[0].pk)


@pytest.mark.django_db(transaction=True)
def test_a_locking_select_must_run_in_a_transaction():
    person = UserFactory()
    locked = CompiledSelect(lambda pk: User.objects.select_for_update().filter(pk=pk))
    with transaction.atomic():
        assert [u.pk for u in locked.rows(person.pk)] == [person.pk]

    if not connection.features.has_select_for_update:
        return  # SQLite locks the whole database for a write: Django refuses nothing there
    with pytest.raises(TransactionManagementError):
        locked.rows(person.pk)
