"""The one NinjaAPI: JSON under /api/v1/, OpenAPI docs at /api/v1/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from backend.core.errors import DomainError
from backend.exports.api import router as exports_router
from backend.households.api import router as households_router
from forms.api import router as forms_router

api = NinjaAPI(
    title="Household visits API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)
api.add_router("/", forms_router)
api.add_router("/", households_router)
api.add_router("/", exports_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Render a refusal with its stable code, in the same shape for every endpoint."""
    return api.create_response(
        request,
        {"code": exc.code, "message": str(exc), "details": exc.details},
        status=exc.status,
    )
