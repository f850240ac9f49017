"""A case's result: the counts on one line, then what went wrong, and whether it failed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ops.faults.ledger import Tally
from ops.faults.phone import Answer
from ops.faults.queue import Settled
from ops.faults.topology import Event

Window = tuple[float, float]  # time.monotonic() from, to


@dataclass
class Outcome:
    case: str
    tally: Tally
    answers: list[Answer]
    windows: list[Window] = field(default_factory=list)  # when the case allows 5xx
    settled: Settled | None = None
    events: list[Event] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # the case's own expectations not met
    notes: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def outside(self) -> list[Answer]:
        """5xx answers to requests that overlapped no declared fault window."""
        return [
            a
            for a in self.answers
            if a.is_5xx
            and not any(a.started <= end and a.ended >= begin for begin, end in self.windows)
        ]

    def reasons(self) -> list[str]:
        t = self.tally
        found = [
            f"{name} {count}"
            for name, count in (
                ("lost", t.lost),
                ("damaged", t.damaged),
                ("unmerged without a flag", t.unmerged),
                ("processing errors without a flag", t.silent),
                ("5xx outside the fault window", len(self.outside())),
            )
            if count
        ]
        return found + self.failures

    def line(self) -> str:
        t = self.tally
        statuses = Counter(a.status for a in self.answers)
        five = sum(n for status, n in statuses.items() if status >= 500)
        return (
            f"{self.case:<12} sent {t.sent}  201 {t.accepted}  stored {t.stored}  "
            f"intact {t.intact}  merged-once {t.merged_once}  flagged {t.flagged}  "
            f"refused-merge {t.refused_merge}  unmerged {t.unmerged}  silent {t.silent}  "
            f"damaged {t.damaged}  lost {t.lost}  4xx {t.refused}  unanswered {t.unanswered}  "
            f"5xx {five} (outside {len(self.outside())})  no-answer {statuses[0]}  "
            f"{self.seconds:.0f} s"
        )

    def details(self) -> list[str]:
        lines = [f"  event: {e.service} {e.what}" for e in self.events]
        if self.settled is not None:
            s = self.settled
            lines.append(
                f"  queue: {'drained' if s.drained else 'NOT drained'} after {s.seconds:.0f} s "
                f"(ready {s.ready}, running {s.running}, failed tasks {s.failed})"
            )
            lines += [f"  stuck: {line}" for line in s.stuck]
        statuses = Counter(a.status for a in self.answers)
        lines.append(
            "  answers: " + ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(statuses.items()))
        )
        why = Counter(a.detail.split(":", 1)[0] for a in self.answers if a.status == 0)
        if why:
            lines.append("  no answer: " + ", ".join(f"{k} x{n}" for k, n in why.most_common(4)))
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  log: {e}" for e in self.log_errors]
        lines += [f"  {p}" for p in self.tally.problems[:25]]
        if len(self.tally.problems) > 25:
            lines.append(f"  ... and {len(self.tally.problems) - 25} more")
        lines += [
            f"  5xx outside the window: {a.status} after {a.seconds:.1f} s"
            for a in self.outside()[:5]
        ]
        lines += [f"  FAILED: {r}" for r in self.reasons()]
        return lines
