"""Filled forms as a phone holds them until the server takes them, and the phone's way of
sending them: HEAD, then POST, again and again until the answer is 201 or a refusal."""

from __future__ import annotations

import random
import re
import time
import uuid
from dataclasses import dataclass, field

from bench.openrosa_load import make_jpeg, multipart, registration_xml, unique_jpeg, visit_xml
from ops.faults.phone import Answer, Phone

_INSTANCE_ID = re.compile(rb"<instanceID>(.*?)</instanceID>")


@dataclass
class Filled:
    """One filled form: its XML, the files it names (by the name in the XML), whether the
    server should make one household version of it, and every answer it got."""

    xml: bytes
    files: dict[str, bytes] = field(default_factory=dict)
    merges: bool = True
    label: str = ""
    answers: list[Answer] = field(default_factory=list)

    @property
    def instance_id(self) -> str:
        found = _INSTANCE_ID.search(self.xml)
        return found.group(1).decode() if found else ""

    @property
    def accepted(self) -> bool:
        return any(a.status == 201 for a in self.answers)

    @property
    def refused(self) -> bool:
        """Answered 4xx: the phone keeps the form and shows the message; it does not resend."""
        return bool(self.answers) and 400 <= self.answers[-1].status < 500

    @property
    def done(self) -> bool:
        return self.accepted or self.refused

    def body(self) -> tuple[bytes, str]:
        boundary = uuid.uuid4().hex
        parts = [(okhttp_quoted(name), [content]) for name, content in self.files.items()]
        return b"".join(multipart(self.xml, parts, boundary)), (
            f"multipart/form-data; boundary={boundary}"
        )


def okhttp_quoted(name: str) -> str:
    """A part name as Collect's HTTP client (OkHttp) writes it in Content-Disposition: quotes
    and line breaks percent-encoded, everything else as it is."""
    return name.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22")


class Photos:
    """Camera photos: one noise JPEG per size made once; each photo a copy with its own
    comment, so every photo has bytes (and a SHA-256) of its own."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.bases: dict[int, bytes] = {}

    def take(self, size: int) -> bytes:
        if size not in self.bases:
            self.bases[size] = make_jpeg(size, seed=self.seed + size)
        return b"".join(unique_jpeg(self.bases[size]))


def visit(
    household: str, version: int, photos: Photos, rng: random.Random, sizes: tuple[int, ...]
) -> Filled:
    """An hh_visit updating the household from `version`, with one photo per size given."""
    names = [f"{uuid.uuid4().hex[:12]}.jpg" for _ in sizes]
    xml = visit_xml(household, version, names, rng)
    return Filled(xml, {n: photos.take(s) for n, s in zip(names, sizes, strict=True)})


def registration(index: int, rng: random.Random) -> Filled:
    return Filled(registration_xml(index, rng), label="registration")


def deliver(
    phone: Phone, form: Filled, *, until: float, pause: float = 1.0, head: bool = True
) -> Filled:
    """Send until the server answers 201 or refuses (4xx), or `until` (time.monotonic()) has
    passed: what Collect's auto-send does with a finalized form."""
    while not form.done and time.monotonic() < until:
        if head:
            preflight = phone.send("HEAD", "submission")
            if preflight.status != 204:
                form.answers.append(preflight)
                time.sleep(pause)
                continue
        body, content_type = form.body()
        form.answers.append(phone.send("POST", "submission", body, content_type))
        if not form.done:
            time.sleep(pause)
    return form
