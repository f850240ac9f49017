"""Importing an existing household registry from CSV or XLSX (columns: docs/households.md)."""

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from backend.accounts.access import scope_of
from backend.accounts.models import User
from backend.areas.models import Area, Level
from backend.core.errors import InvalidInput
from backend.geo.points import coordinate_text
from backend.households.models import Category, HouseGrade, Household
from backend.households.services import household_register
from backend.projects.models import Project

REQUIRED = ("code", "head_name", "village")
# Columns that are not entity properties under the same name.
_SPECIAL = {"code", "label", "village", "helper", "latitude", "longitude"}


class HouseholdImportInvalid(InvalidInput):
    code = "households.import_invalid"


@dataclass
class _Rows:
    valid: list[tuple[dict[str, str], Area, User | None]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def households_import(
    *, project: Project, filename: str, content: bytes, actor: User | None
) -> int:
    """Register every row as a household, or none if any row is bad; return how many.

    An admin registers households only in the villages of their scope (`actor` None: an
    operator at the command line, anywhere).
    """
    rows = _check(project, _read(filename, content), _villages_of(project, actor))
    if rows.errors:
        raise HouseholdImportInvalid(
            _("Nothing was imported: fix these rows first."), details=rows.errors
        )
    with transaction.atomic(durable=True):
        for values, village, helper in rows.valid:
            household_register(
                project=project,
                code=values["code"],
                label=values.get("label") or _masked_label(values["code"], values["head_name"]),
                village=village,
                helper=helper,
                actor=actor,
                properties=_properties(values, village),
            )
    return len(rows.valid)


def _read(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HouseholdImportInvalid(
                _("A CSV file must be UTF-8 (save as CSV UTF-8).")
            ) from None
        lines = list(csv.reader(io.StringIO(text)))
    elif suffix == ".xlsx":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise HouseholdImportInvalid(_("The file is not a readable XLSX workbook.")) from None
        if sheet is None:  # a workbook without a worksheet
            raise HouseholdImportInvalid(_("The file is not a readable XLSX workbook."))
        lines = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        raise HouseholdImportInvalid(_("Import a .csv or .xlsx file."))
    if not lines:
        raise HouseholdImportInvalid(_("The file is empty."))
    header = [h.strip().lower() for h in lines[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise HouseholdImportInvalid(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    for number, line in enumerate(lines[1:], start=2):
        values = {h: (line[i].strip() if i < len(line) else "") for i, h in enumerate(header) if h}
        if any(values.values()):
            yield number, values


def _villages_of(project: Project, actor: User | None) -> dict[str, Area]:
    """The villages the actor may register households in, by code."""
    villages = Area.objects.filter(level=Level.VILLAGE)
    if actor is not None:
        scope = scope_of(actor, project)
        if not scope.whole_project:
            villages = villages.filter(pk__in=scope.area_ids)
    return {area.code: area for area in villages.defer("boundary")}


def _check(
    project: Project, rows: Iterator[tuple[int, dict[str, str]]], villages: dict[str, Area]
) -> _Rows:
    result = _Rows()
    helpers = {u.username: u for u in User.objects.filter(memberships__project=project)}
    taken = set(Household.objects.filter(project=project).values_list("code", flat=True))
    for number, values in rows:
        problems = _problems(values, villages, helpers, taken)
        if problems:
            result.errors.append(
                _("Row %(n)s: %(problems)s") % {"n": number, "problems": "; ".join(problems)}
            )
            continue
        taken.add(values["code"])
        result.valid.append(
            (values, villages[values["village"]], helpers.get(values.get("helper", "")))
        )
    return result


def _problems(
    values: dict[str, str], villages: dict[str, Area], helpers: dict[str, User], taken: set[str]
) -> list[str]:
    problems = [_("%(column)s is empty") % {"column": c} for c in REQUIRED if not values.get(c)]
    # Codes are unique in the project: the row is refused whichever township holds the code,
    # and the message, the same for all, names neither the code nor where it is.
    if values.get("code") in taken:
        problems.append(_("the code is already registered"))
    if values.get("village") and values["village"] not in villages:
        # One message for a village that does not exist and one outside the importer's areas.
        problems.append(_("unknown village %(code)s") % {"code": values["village"]})
    if values.get("helper") and values["helper"] not in helpers:
        problems.append(_("helper %(name)s is not in this project") % {"name": values["helper"]})
    if values.get("category") and values["category"] not in Category.values:
        problems.append(_("unknown category %(value)s") % {"value": values["category"]})
    if values.get("house_grade") and values["house_grade"] not in HouseGrade.values:
        problems.append(_("house grade must be A, B, C or D"))
    for column in ("hh_size", "income_year"):
        if values.get(column) and not values[column].isdigit():
            problems.append(_("%(column)s must be a whole number") % {"column": column})
    for column in ("income_pc", "latitude", "longitude"):
        if values.get(column) and not _is_number(values[column]):
            problems.append(_("%(column)s must be a number") % {"column": column})
    return problems


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _properties(values: dict[str, str], village: Area) -> dict[str, str]:
    props = {k: v for k, v in values.items() if k not in _SPECIAL and v}
    props["hh_code"], props["village"] = values["code"], village.code
    if values.get("latitude") and values.get("longitude"):
        latitude, longitude = _coordinate(values["latitude"]), _coordinate(values["longitude"])
        props["geometry"] = f"{latitude} {longitude} 0 0"
    return props


def _coordinate(text: str) -> str:
    # A workbook's cell is read as a float, whose text may carry noise (106.70400000000001).
    number = float(text)
    return coordinate_text(number) if math.isfinite(number) else text


def _masked_label(code: str, head: str) -> str:
    # The list goes to phones: the label shows the surname only, as the forms do.
    return f"{code} {head[:1]}*{head[2:]}" if len(head) > 1 else f"{code} {head}"
