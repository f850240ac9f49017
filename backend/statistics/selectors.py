"""Reads for the statistics pages and API: the tables as their readers see them."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from backend.accounts.access import Actor
from backend.core.errors import InvalidInput, NotFound
from backend.households.dashboard import income_years
from backend.projects.models import Project
from backend.statistics.spec import TableSpec
from backend.statistics.tables import TABLES

FIRST_YEAR, LAST_YEAR = 2000, 2100


def table_spec(key: str) -> TableSpec:
    spec = TABLES.get(key)
    if spec is None:
        raise NotFound(_("No such statistics table."))
    return spec


def table_year(year: int | None, *, actor: Actor, project: Project) -> int:
    """The year asked for; without one, the newest income year the reader's households have,
    else this year."""
    if year is None:
        years = income_years(actor=actor, project=project)
        return years[0] if years else timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _("A year is between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def table_as_json(spec: TableSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "title": str(spec.title),
        "seed": spec.seed,
        "quote": spec.quote,
        "incomes_of_year": spec.incomes_of_year,
        "columns": [
            {
                "key": c.key,
                "label": str(c.label),
                "group": str(c.group),
                "kind": c.kind,
            }
            for c in spec.columns
        ],
    }
