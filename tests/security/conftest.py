from collections.abc import Iterator

import pytest
import time_machine
from django.test import TestCase

from tests.conftest import FIXED_NOW
from tests.security.world import World, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The county, built once for the package inside a transaction that is rolled back at its end.

    This is the transaction Django's TestCase opens around setUpTestData: each test's own
    transaction nests in it as a savepoint, so a test that changes something leaves the next
    one the same world. The clock stands still at the suite's fixed date while the world is
    built and used: nothing here depends on the day the tests run.
    """
    with django_db_blocker.unblock(), time_machine.travel(FIXED_NOW, tick=True):
        atomics = TestCase._enter_atomics()
        try:
            yield build_world()
        finally:
            TestCase._rollback_atomics(atomics)
