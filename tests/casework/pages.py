"""Helpers of the case pages' tests: signed-in clients, a case opened by hand, the text a page
shows (without its markup)."""

from html.parser import HTMLParser

from django.test import Client

from backend.casework.models import Case, Kind, TriggerSource
from backend.casework.services import Trigger, case_open
from backend.households.models import Category
from tests.casework.conftest import World, household


def signed_in(user, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def opened(world: World, code: str, *, village=None, reason: str = "", **properties) -> Case:
    return case_open(
        household=household(world, code, village=village, **properties),
        kind=Kind.INCLUSION,
        category=Category.MONITOR_MARGINAL,
        reason=reason,
        trigger=Trigger(TriggerSource.PERSON, actor=world.cadre_a1),
    )


def case_url(case: Case, tail: str = "") -> str:
    return f"/p/demo/cases/{case.pk}/{tail}"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def shown(response) -> str:
    """The words the page shows, one piece a line (attributes and markup left out)."""
    parser = _Text()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)
