from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from backend.ops.health import health_report


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 with the checks when everything works, 503 when something does not (for the load
    balancer and the monitoring)."""
    healthy, checks = health_report()
    if not checks["database"]["ok"]:
        # Do not hand a broken connection to the next request of this worker.
        connection.close_if_unusable_or_obsolete()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
