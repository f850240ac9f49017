"""`Authorization: Bearer <token>` for the JSON API: personal tokens act as their user."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from backend.accounts.lockout import sign_in_check, sign_in_failed
from backend.accounts.models import User
from backend.accounts.selectors import api_token_for_secret
from backend.accounts.services import api_token_touch


class ApiTokenBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = api_token_for_secret(token)
        if found is None:
            # Counted against the client's address, and refused (429) once it is locked. A valid
            # token always works: it cannot be guessed, so a lock need not stop it.
            sign_in_check(request, None)
            sign_in_failed(request, None)
            return None  # the next method (the session) may still sign the request in
        api_token_touch(token=found)
        # Operations read request.user, as they do with a session; request.api_token tells them
        # the caller came with a token (a token may not mint more tokens).
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user
