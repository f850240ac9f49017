"""JSON API for the household registry: lists, history, conflicts, flags and statistics."""

from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import CursorPagination, paginate

from backend.accounts.access import access_project_by_slug
from backend.accounts.requests import SignedInRequest
from backend.audit.api_log import LoggedCursorPagination, api_read_logged
from backend.audit.models import AccessKind
from backend.audit.privacy import masked
from backend.core.errors import InvalidInput, NotFound
from backend.core.schemas import ERRORS
from backend.flags.models import Flag, FlagState
from backend.flags.selectors import flags_as_seen_by, flags_of_households
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
from backend.households.selectors import (
    HouseholdQuery,
    household_with_open_flags,
    households_list,
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
@paginate(
    LoggedCursorPagination,
    ordering=("code",),
    page_size=100,
    log=(AccessKind.VIEW_HOUSEHOLD, "household", "uuid"),
)
def list_households(
    request: HttpRequest, slug: str, filters: Query[HouseholdFilters]
) -> QuerySet[Household]:
    """Households the caller may see, filtered by village, category, open flag or conflict.

    Each page is written to the access log (one row per household, in one insert)."""
    _project, households = _visible(request, slug)
    query = HouseholdQuery(
        village=filters.village or "",
        category=filters.category or "",
        flag=filters.flag or "",
        conflict=filters.conflict,
    )
    return households_list(households, query)


@router.get(
    "/projects/{slug}/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS}
)
def get_household(
    request: HttpRequest, slug: str, household_id: str, reveal: bool = False
) -> dict[str, object]:
    """One household with its full history (what each version changed) and its flags.

    ID and phone numbers and health answers are masked; `reveal=true` shows them (supervisors
    and admins). Every read is written to the access log, a reveal as such."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, household_id)
    api_read_logged(
        request, project, object_type="household", object_id=household.uuid, reveal=reveal
    )
    versions = list(household.versions.select_related("submission", "actor").order_by("version"))
    properties = household.properties or {}
    flags = household.flags.select_related("household").order_by("-created_at")
    return {
        "household": household_with_open_flags(household),
        "properties": properties if reveal else {k: masked(k, v) for k, v in properties.items()},
        "versions": versions_out(versions, reveal=reveal),
        "flags": list(flags_as_seen_by(flags, actor=request.user, project=project)),
    }


@router.post(
    "/projects/{slug}/households/{household_id}/resolve", response={200: HouseholdOut, **ERRORS}
)
def resolve_household_conflict(
    request: SignedInRequest, slug: str, household_id: str, body: ResolveIn
) -> Household:
    """Mark a household's parallel updates as checked."""
    project = access_project_by_slug(request.user, slug, role=Role.SUPERVISOR)
    household = access_household_by_uuid(request.user, project, household_id)
    resolved = household_resolve_conflict(household=household, actor=request.user, note=body.note)
    return household_with_open_flags(resolved)


@router.get("/projects/{slug}/flags", response={200: list[FlagOut], **ERRORS})
@paginate(CursorPagination, ordering=("-created_at",), page_size=100)
def list_flags(
    request: HttpRequest, slug: str, state: str = FlagState.OPEN, code: str | None = None
) -> QuerySet[Flag]:
    """Flags on the households the caller may see."""
    project, households = _visible(request, slug)
    flags = flags_of_households(households, state=state)
    flags = flags_as_seen_by(flags, actor=request.user, project=project)
    return flags.filter(code=code) if code else flags


@router.post("/projects/{slug}/flags/{flag_id}/clear", response={200: FlagOut, **ERRORS})
def clear_flag(request: SignedInRequest, slug: str, flag_id: int, body: ClearIn) -> Flag:
    """A supervisor closes a flag by hand, with a note saying why."""
    project, households = _visible(request, slug)
    flags = flags_of_households(households).filter(pk=flag_id)
    flag = flags.first()
    if flag is None:
        raise NotFound(_("Flag not found."))
    if not body.note.strip():
        raise InvalidInput(_("Say why the flag is cleared."))
    flag_clear(flag=flag, actor=request.user, note=body.note.strip())
    return flags_as_seen_by(flags, actor=request.user, project=project).get()


@router.get(
    "/projects/{slug}/statistics/villages",
    response={200: list[dict], **ERRORS},
    openapi_extra={"responses": {200: _STATISTICS_RESPONSE}},
)
def village_table(
    request: HttpRequest,
    slug: str,
    lines: str | None = None,
    income_year: int | None = None,
    format: str = "json",
) -> list[dict] | HttpResponse:
    """By village: households by category, below each income line, open flags by code.

    `lines` is a comma-separated list of yuan amounts (default 4000,4500,5000,8000);
    `income_year` counts only the households whose income is of that year (a screening table
    per year); `format=xlsx` downloads the same table as a workbook.
    """
    project, households = _visible(request, slug)
    amounts = _lines(lines)
    rows = village_statistics(households, project=project, lines=amounts, income_year=income_year)
    if format != "xlsx":
        return rows
    response = HttpResponse(
        statistics_xlsx(rows, lines=amounts, project=project),
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
