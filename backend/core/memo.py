"""What one request asks the database more than once, read once within it.

A phone's manifest asks for the caller's role and assigned areas for every list it names (the
households, the villages): the same rows, within the same few milliseconds. Inside
`request_memo()` the access layer keeps those answers for the rest of the block; outside it (every
page, task and test that does not open one) nothing is kept, so no answer outlives the request
that read it and a change is seen by the next request at once.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar, cast

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("request_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    """Keep the answers of `memoized` calls until the block ends."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """The answer under `key` within the current request_memo block, computed once."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def remember(key: Hashable, value: object) -> None:
    """Give the current request_memo block an answer read elsewhere (none outside a block)."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value
