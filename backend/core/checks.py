"""Settings are checked at startup, so a bad deployment fails loudly instead of half-working."""

import shutil
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

_INSECURE_KEY_PREFIX = "insecure-"


@register(Tags.compatibility)
def check_site_url(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """SITE_URL is used in the absolute URLs ODK Collect follows: it needs a scheme and a host."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return [
            Error(
                f"SITE_URL must be an absolute http(s) URL, not {settings.SITE_URL!r}.",
                id="core.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """The embedded default key must never reach a deployment."""
    if settings.SECRET_KEY.startswith(_INSECURE_KEY_PREFIX):
        return [Error("Set SECRET_KEY (or SECRET_KEY_FILE) for a deployment.", id="core.E001")]
    return []


@register(Tags.compatibility)
def check_odk_validate(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """FORMS_ODK_VALIDATE must be one of its three words, and "on" needs Java."""
    mode = settings.FORMS_ODK_VALIDATE
    if mode not in {"auto", "on", "off"}:
        return [Error(f"FORMS_ODK_VALIDATE must be auto, on or off, not {mode!r}.", id="core.E003")]
    if mode == "on" and shutil.which("java") is None:
        return [
            Warning(
                "FORMS_ODK_VALIDATE=on but java is not on PATH: publishing will fail.",
                id="core.W001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_shared_cache(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Several app processes need one shared cache, or each keeps its own view of tokens and
    forms for up to SYNC_CACHE_SECONDS (backend/core/cache.py)."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            Warning(
                "The cache is in process memory: with several app processes, a revoked device "
                "token or a closed form is noticed only after SYNC_CACHE_SECONDS. Set "
                "CACHE_BACKEND to Redis (docs/configuration.md#cache).",
                id="core.W002",
            )
        ]
    return []
