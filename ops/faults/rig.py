"""What every case works with: the running topology, phones for the demo project's field
worker, the households on that worker's list, photos, and a case's bookkeeping."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone

from backend.accounts.models import User
from backend.households.access import households_for_actor
from backend.projects.models import Project
from ops.faults import logs
from ops.faults.forms import Filled, Photos, deliver, visit
from ops.faults.ledger import tally
from ops.faults.phone import Answer, Phone
from ops.faults.queue import forget_connections, settle
from ops.faults.report import Outcome
from ops.faults.topology import Topology


@dataclass(frozen=True)
class Login:
    server: str  # Collect's server URL: http://127.0.0.1:<port>/projects/<slug>
    username: str
    password: str
    project: str


@dataclass
class Rig:
    topology: Topology
    login: Login
    work: Path
    rng: random.Random
    photos: Photos
    settle_seconds: float = 90.0

    def phone(self, timeout: float = 60) -> Phone:
        return Phone(self.login.server, self.login.username, self.login.password, timeout)

    def households(self) -> list[tuple[str, int]]:
        """(entity id, version) of each household on the field worker's list."""
        worker = User.objects.get(username=self.login.username)
        project = Project.objects.get(slug=self.login.project)
        rows = households_for_actor(actor=worker, project=project).values_list("uuid", "version")
        found = [(str(uuid), version) for uuid, version in rows.order_by("code")]
        forget_connections()
        return found

    def visits(self, count: int, sizes: Callable[[int], tuple[int, ...]]) -> Iterator[Filled]:
        """`count` visits over the worker's households in turn, `sizes(i)` the photo sizes."""
        households = self.households()
        for i in range(count):
            household, version = households[i % len(households)]
            yield visit(household, version, self.photos, self.rng, sizes(i))

    def quiet(self) -> None:
        """Let the queue drain (every task, the earlier cases' too) before a fault that would
        disturb the tasks still waiting."""
        settle(since=datetime.min.replace(tzinfo=UTC), deadline=self.settle_seconds)
        forget_connections()

    def start(self, case: str) -> Case:
        forget_connections()
        return Case(case, self, time.monotonic(), timezone.now(), logs.marks(self.work))


@dataclass
class Case:
    """One case's forms, probes and fault windows, and its outcome once counted."""

    name: str
    rig: Rig
    started: float
    started_at: datetime
    log_marks: logs.Marks
    forms: list[Filled] = field(default_factory=list)
    probes: list[Answer] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # what the case did, in order
    notes: list[str] = field(default_factory=list)
    outcome: Outcome | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(
        self,
        forms: Iterator[Filled] | list[Filled],
        *,
        phones: int,
        until: float,
        pause: float = 1.0,
        head: bool = True,
        patience: float | None = None,
        gap: float = 0.0,
    ) -> list[threading.Thread]:
        """Start `phones` phones that deliver the forms between them, each form until `until`
        (time.monotonic()) or for `patience` seconds, `gap` seconds apart (a field worker
        finishing the next visit); return their threads."""
        source = iter(forms)

        def take() -> Filled | None:
            with self._lock:
                form = next(source, None)
                if form is not None:
                    self.forms.append(form)
                return form

        def run() -> None:
            phone = self.rig.phone()
            while (form := take()) is not None:
                deadline = until if patience is None else min(until, time.monotonic() + patience)
                deliver(phone, form, until=deadline, pause=pause, head=head)
                time.sleep(gap)
            phone.close()

        threads = [threading.Thread(target=run, name=f"phone-{i}") for i in range(phones)]
        for thread in threads:
            thread.start()
        return threads

    def count(self, *, patience: float = 1.0) -> Outcome:
        """Wait for the queue (`patience` times the rig's settle time), then count what the
        server kept."""
        settled = settle(since=self.started_at, deadline=self.rig.settle_seconds * patience)
        answers = [a for f in self.forms for a in f.answers] + self.probes
        self.outcome = Outcome(
            self.name,
            tally(self.forms),
            answers,
            settled=settled,
            events=self.rig.topology.since(self.started),
        )
        self.outcome.log_errors = logs.errors_since(self.rig.work, self.log_marks)
        self.outcome.notes += self.notes
        if self.faults:
            done = Counter(self.faults)
            self.outcome.notes.append("faults: " + ", ".join(f"{k} x{n}" for k, n in done.items()))
        forget_connections()
        return self.outcome


def join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join()
