"""JSON API for the household registry: lists, history, conflicts, flags and statistics."""

from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from backend.accounts.access import access_project_by_slug
from backend.core.errors import InvalidInput, NotFound
from backend.core.schemas import ERRORS
from backend.flags.models import Flag, FlagState
from backend.flags.services import flag_clear
from backend.households.access import access_household_by_uuid, households_for_actor
from backend.households.models import Household
from backend.households.schemas import (
    ClearIn,
    FlagOut,
    HouseholdDetailOut,
    HouseholdOut,
    ResolveIn,
    versions_out,
)
from backend.households.services import household_resolve_conflict
from backend.households.statistics import default_lines, statistics_xlsx, village_statistics
from backend.projects.models import Project, Role

router = Router(tags=["households"])

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATISTICS_RESPONSE = {
    "description": "One row per village (JSON), or the same table as a workbook (format=xlsx)",
    "content": {
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        _XLSX: {"schema": {"type": "string", "format": "binary"}},
    },
}


class HouseholdFilters(Schema):
    village: str | None = None
    category: str | None = None
    flag: str | None = None
    conflict: bool | None = None


def _visible(request: HttpRequest, slug: str) -> tuple[Project, QuerySet[Household]]:
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    return project, households_for_actor(actor=request.user, project=project)


@router.get("/projects/{slug}/households", response={200: list[HouseholdOut], **ERRORS})
@paginate(CursorPagination, ordering=("code",), page_size=100)
def list_households(
    request: HttpRequest, slug: str, filters: Query[HouseholdFilters]
) -> QuerySet[Household]:
    """Households the caller may see, filtered by village, category, open flag or conflict."""
    _project, households = _visible(request, slug)
    if filters.village:
        households = households.filter(village__code=filters.village)
    if filters.category:
        households = households.filter(category=filters.category)
    if filters.flag:
        households = households.filter(flags__code=filters.flag, flags__state=FlagState.OPEN)
    if filters.conflict is not None:
        households = (
            households.exclude(conflict="") if filters.conflict else households.filter(conflict="")
        )
    open_flags = Prefetch("flags", queryset=Flag.objects.filter(state=FlagState.OPEN))
    return households.select_related("village").prefetch_related(open_flags)


@router.get(
    "/projects/{slug}/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS}
)
def get_household(request: HttpRequest, slug: str, household_id: str) -> dict[str, object]:
    """One household with its full history (what each version changed) and its flags."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, household_id)
    versions = list(household.versions.select_related("submission", "actor").order_by("version"))
    return {
        "household": _with_open_flags(household),
        "properties": household.properties,
        "versions": versions_out(versions),
        "flags": list(household.flags.select_related("household").order_by("-created_at")),
    }


@router.post(
    "/projects/{slug}/households/{household_id}/resolve", response={200: HouseholdOut, **ERRORS}
)
def resolve_household_conflict(
    request: HttpRequest, slug: str, household_id: str, body: ResolveIn
) -> Household:
    """Mark a household's parallel updates as checked."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, household_id)
    resolved = household_resolve_conflict(household=household, actor=request.user, note=body.note)
    return _with_open_flags(resolved)


@router.get("/projects/{slug}/flags", response={200: list[FlagOut], **ERRORS})
@paginate(CursorPagination, ordering=("-created_at",), page_size=100)
def list_flags(
    request: HttpRequest, slug: str, state: str = FlagState.OPEN, code: str | None = None
) -> QuerySet[Flag]:
    """Flags on the households the caller may see."""
    _project, households = _visible(request, slug)
    flags = Flag.objects.filter(household__in=households, state=state).select_related("household")
    return flags.filter(code=code) if code else flags


@router.post("/projects/{slug}/flags/{flag_id}/clear", response={200: FlagOut, **ERRORS})
def clear_flag(request: HttpRequest, slug: str, flag_id: int, body: ClearIn) -> Flag:
    """A supervisor closes a flag by hand, with a note saying why."""
    _project, households = _visible(request, slug)
    flag = (
        Flag.objects.filter(pk=flag_id, household__in=households)
        .select_related("household")
        .first()
    )
    if flag is None:
        raise NotFound(_("Flag not found."))
    if not body.note.strip():
        raise InvalidInput(_("Say why the flag is cleared."))
    return flag_clear(flag=flag, actor=request.user, note=body.note.strip())


@router.get(
    "/projects/{slug}/statistics/villages",
    response={200: list[dict], **ERRORS},
    openapi_extra={"responses": {200: _STATISTICS_RESPONSE}},
)
def village_table(
    request: HttpRequest, slug: str, lines: str | None = None, format: str = "json"
) -> list[dict] | HttpResponse:
    """By village: households by category, below each income line, open flags by code.

    `lines` is a comma-separated list of yuan amounts (default 4000,4500,5000);
    `format=xlsx` downloads the same table as a workbook.
    """
    project, households = _visible(request, slug)
    amounts = _lines(lines)
    rows = village_statistics(households, project=project, lines=amounts)
    if format != "xlsx":
        return rows
    response = HttpResponse(
        statistics_xlsx(rows, lines=amounts),
        content_type=_XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-villages.xlsx"'
    return response


def _lines(text: str | None) -> list[Decimal]:
    if not text:
        return default_lines()
    try:
        amounts = [Decimal(part.strip()) for part in text.split(",") if part.strip()]
    except InvalidOperation:
        raise InvalidInput(
            _("lines must be amounts separated by commas, e.g. 4000,4500,5000")
        ) from None
    if not amounts or len(amounts) > 10 or any(not a.is_finite() or a < 0 for a in amounts):
        raise InvalidInput(_("Give between one and ten non-negative income lines."))
    return amounts


def _with_open_flags(household: Household) -> Household:
    open_flags = Prefetch("flags", queryset=Flag.objects.filter(state=FlagState.OPEN))
    return (
        Household.objects.select_related("village")
        .prefetch_related(open_flags)
        .get(pk=household.pk)
    )
