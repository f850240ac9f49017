"""The one NinjaAPI: JSON under /api/v1/, OpenAPI docs at /api/v1/docs.

Callers sign in with a personal token (`Authorization: Bearer …`) or, from the pages, with the
session cookie (which then needs the CSRF token on writes). Every refusal has the same body:
`{"code", "message", "details"}` (backend/core/schemas.py::ErrorOut).
"""

from typing import Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth

from backend.accounts.api import router as accounts_router
from backend.accounts.bearer import ApiTokenBearer
from backend.areas.api import router as areas_router
from backend.campaigns.api import router as campaigns_router
from backend.casework.api import router as casework_router
from backend.casework.renovation_api import router as renovation_router
from backend.core.busy import RETRY_AFTER, busy_message
from backend.core.errors import DomainError
from backend.core.transient import is_busy
from backend.entities.api import router as entities_router
from backend.exports.api import router as exports_router
from backend.households.api import router as households_router
from backend.projects.api import router as projects_router
from backend.statistics.api import router as statistics_router
from backend.submissions.api import router as submissions_router
from forms.api import router as forms_router


class SingleValueParser(Parser):
    """A parameter that takes one value, given twice (`?village=a&village=b`), is refused.

    Ninja would keep the last; which one the caller meant is not ours to guess, and a filter
    silently dropped shows data the caller did not ask for.
    """

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        where = "query" if data is request.GET else "form"
        repeated = [
            key for key, values in data.lists() if len(values) > 1 and key not in list_fields
        ]
        if repeated:
            message = _("given more than once; it takes one value")
            raise ValidationError([{"loc": [where, key], "msg": message} for key in repeated])
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    parser=SingleValueParser(),
    title="Household visits API",
    version="1",
    description="Projects, forms, submissions, households, flags and areas. See docs/api.md.",
    urls_namespace="api",
    auth=[ApiTokenBearer(), django_auth],
    # Swagger UI comes from ninja's static files (ninja is an installed app). Its validator badge
    # would fetch an image from validator.swagger.io: nothing on the page leaves this server.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", accounts_router)
api.add_router("/", projects_router)
api.add_router("/", areas_router)
api.add_router("/", forms_router)
api.add_router("/", submissions_router)
api.add_router("/", households_router)
api.add_router("/", entities_router)
api.add_router("/", exports_router)
api.add_router("/", casework_router)
api.add_router("/", renovation_router)
api.add_router("/", statistics_router)
api.add_router("/", campaigns_router)


def _error(
    request: HttpRequest, status: int, code: str, message: str, details: list[str]
) -> HttpResponse:
    body = {"code": code, "message": message, "details": details}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Render a refusal with its stable code, in the same shape for every endpoint."""
    return _error(request, exc.status, exc.code, str(exc), exc.details)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A request that does not match the schema: say which parameter and why."""
    details = [_describe(error) for error in exc.errors]
    return _error(request, 422, "invalid_request", _("The request is not valid."), details)


def _describe(error: dict) -> str:
    if "loc" in error:  # pydantic's shape
        return f"{'.'.join(str(part) for part in error['loc'])}: {error.get('msg', '')}"
    return "; ".join(f"{key}: {value}" for key, value in error.items())  # e.g. a bad cursor


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("Sign in, or send a valid API token as 'Authorization: Bearer <token>'.")
    return _error(request, 401, "unauthenticated", message, [])


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc), [])


@api.exception_handler(OperationalError)
def database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A request that gave up waiting for the database: nothing changed, try again later."""
    if not is_busy(exc):
        raise exc
    response = _error(request, 503, "server_busy", busy_message(), [])
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."), [])


@csrf_exempt
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/v1/ (routed after the API's own): the API's 404, in the API's
    shape, whatever the method, where Django would answer with an HTML page."""
    return _error(request, 404, "not_found", _("Not found."), [])
