"""The request a view sees once sign-in has let it through."""

from django.http import HttpRequest

from backend.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request whose user has signed in: behind `login_required`, `project_page` or the JSON
    API's authentication. Only an annotation (Django builds plain requests): it tells the type
    checker that `request.user` is a User, never the anonymous one."""

    user: User
