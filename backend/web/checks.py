from typing import Any

from django.core.checks import CheckMessage, Warning, register

from backend.web.vendor import PACKAGES, missing


@register()
def vendored_static_present(**kwargs: Any) -> list[CheckMessage]:
    """The pages need Leaflet and htmx in static/vendor/; say how to get them when absent."""
    return [
        Warning(
            f"{package.name} {package.version} is missing from backend/web/static/vendor/.",
            hint="Run `make vendor` (python -m backend.web.vendor).",
            id="web.W001",
        )
        for package in PACKAGES
        if missing(package)
    ]
