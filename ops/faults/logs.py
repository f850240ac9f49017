"""The error lines the processes wrote during a case, counted by message: what a case's
failures looked like from the server's side."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

Marks = dict[Path, int]


def marks(folder: Path) -> Marks:
    """Where each process log ends now."""
    return {log: log.stat().st_size for log in sorted(folder.glob("*.log"))}


def errors_since(folder: Path, since: Marks, *, limit: int = 8) -> list[str]:
    """`service: message x count` for the ERROR lines and tracebacks written after `since`."""
    found: Counter[str] = Counter()
    for log in sorted(folder.glob("*.log")):
        with log.open("rb") as lines:
            lines.seek(since.get(log, 0))
            for raw in lines:
                message = _error(raw.decode("utf-8", "replace"))
                if message:
                    found[f"{log.stem}: {message}"] += 1
    return [f"{line} x{count}" for line, count in found.most_common(limit)]


def _error(line: str) -> str:
    """The message of an ERROR or CRITICAL JSON line, or of an exception's last line."""
    try:
        record = json.loads(line)
    except ValueError:
        text = line.strip()
        # The last line of a traceback printed without the JSON formatter: "SomeError: why".
        is_exception = text.split(":", 1)[0].endswith(("Error", "Exception"))
        return text[:160] if is_exception else ""
    if not isinstance(record, dict) or record.get("level") not in {"ERROR", "CRITICAL"}:
        return ""
    return str(record.get("message", ""))[:160]
