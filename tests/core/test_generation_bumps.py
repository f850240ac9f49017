"""A write bumps its generation at once and again at the commit; the commit's bump is
registered once per transaction, however many writes ask, and not at all when it rolls back."""

from functools import partial

import pytest
from django.db import connection, transaction

from backend.core.cache import bump, bump_with_transaction, generation


def _pending(scope: str) -> int:
    return sum(
        1
        for entry in connection.run_on_commit
        if isinstance(entry[1], partial) and entry[1].func is bump and entry[1].args == (scope,)
    )


@pytest.mark.django_db
def test_many_writes_in_a_transaction_bump_once_at_its_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seen = [generation("things")]
        for _ in range(50):
            bump_with_transaction("things")
            seen.append(generation("things"))
        bump_with_transaction("other")
        before_commit = generation("things")

    assert len(set(seen)) == 51  # a reader in the transaction sees every write
    assert len(callbacks) == 2  # one per scope
    assert generation("things") != before_commit  # and the commit bumped once more


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_takes_its_pending_bump_with_it():
    with transaction.atomic():
        try:
            with transaction.atomic():
                bump_with_transaction("things")
                assert _pending("things") == 1
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        assert _pending("things") == 0
        bump_with_transaction("things")  # a later write in the transaction registers it again

        assert _pending("things") == 1
