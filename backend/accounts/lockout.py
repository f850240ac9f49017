"""Failed sign-ins counted and locked out on every door, through django-axes.

The web pages and the admin go through Django's authenticate(), where axes' backend refuses a
locked request before any password is hashed and Django's user_login_failed signal counts a
failure. OpenRosa (Digest, Basic) and API tokens check passwords and tokens themselves, so they
ask the same handler first (`sign_in_check`) and send the same signal on failure
(`sign_in_failed`). One set of counters and one lockout for all doors (docs/security.md).
"""

import copy
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q, Sum
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError

# AccessAttempt.username holds 255 characters; a Digest or Basic user name can be longer.
_USERNAME_LENGTH = 255


class SignInLocked(DomainError):
    """Too many failed sign-ins for this user name from this address, or from this address."""

    code = "auth.locked"
    status = 429


class PairAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler, with two limits within LOGIN_LOCKOUT_SECONDS of the last failure:
    AXES_FAILURE_LIMIT for one user name from one address, and LOGIN_ADDRESS_MAX_ATTEMPTS for an
    address whatever the user names.

    A user name alone is never locked: then anyone could lock anyone out, from anywhere. The
    records live in the database so that every app process sees them, and an admin can list and
    clear them (`manage.py axes_list_attempts`, `axes_reset_username`).
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=get_cool_off_threshold(request),
        )
        counts = recent.aggregate(
            pair=Sum("failures_since_start", filter=Q(username=username)),
            address=Sum("failures_since_start"),
        )
        # An API token has no user name: wrong tokens count against the address only.
        pair = (counts["pair"] or 0) if username is not None else 0
        if (counts["address"] or 0) >= settings.LOGIN_ADDRESS_MAX_ATTEMPTS:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def _credentials(username: str | None) -> dict[str, str | None]:
    return {"username": None if username is None else username[:_USERNAME_LENGTH]}


def sign_in_check(request: HttpRequest, username: str | None) -> None:
    """Raise SignInLocked when this user name (None: an API token) may not try from this
    request's address now; call it before checking any password."""
    if not AxesProxyHandler.is_allowed(request, _credentials(username)):
        raise SignInLocked(_("Too many failed attempts. Wait a while and try again."))


def sign_in_failed(request: HttpRequest, username: str | None) -> None:
    """Count a failed sign-in, as Django's authenticate() does for the web pages."""
    user_login_failed.send(
        sender=__name__, credentials=_credentials(username), request=_without_form_data(request)
    )


def _without_form_data(request: HttpRequest) -> HttpRequest:
    """A copy whose form data reads as empty: axes copies request.POST into its record, and
    reading it would parse a phone's whole upload (up to 100 MB) just to store it."""
    stand_in = copy.copy(request)
    stand_in.POST = QueryDict()
    return stand_in
