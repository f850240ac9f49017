"""A member whose password an admin chose (backend/accounts/members.py) chooses their own before
any page: every page sends them to the password page until they have."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# What they may still reach: the password page itself, signing out, the language, static files.
_OPEN = ("/password/", "/logout/", "/i18n/", "/static/")


class FirstPasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.user is the session's user here; API tokens and phones sign in later, in
        # their own views, and are not sent anywhere.
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_OPEN)
        ):
            return HttpResponseRedirect(reverse("web:password"))
        return self.get_response(request)
