"""Run the same call from several threads at once, each with its own database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(call: Callable[[], object], *, times: int) -> list[object]:
    """Start `times` threads together; return each call's result or the exception it raised."""
    outcomes: list[object] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
