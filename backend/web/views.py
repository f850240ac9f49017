"""Sign in and out, and the start page listing the user's projects."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import project_role, projects_for_user
from backend.accounts.members import user_password_chosen

LOCKED_OUT = _("Too many failed attempts. Wait a while and try again.")


class LoginView(auth_views.LoginView):
    """Django's login. axes, the first authentication backend, counts failures and refuses a
    locked user name or address before any password is checked (backend/accounts/lockout.py)."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if getattr(self.request, "axes_locked_out", False):
            form.errors.clear()
            form.add_error(None, LOCKED_OUT)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_invalid(form)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """axes' answer to a sign-in refused for lockout (AXES_LOCKOUT_CALLABLE): the page's own when
    it already says so (the sign-in page above), else a short page (the admin's sign-in)."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    return render(request, "web/locked_out.html", status=429)


class PasswordView(auth_views.PasswordChangeView):
    """Choose a new password (the first sign-in of a member an admin created starts here)."""

    template_name = "web/password.html"

    def get_success_url(self) -> str:
        return reverse("web:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user_password_chosen(user=form.user)
        messages.success(self.request, _("Your new password is saved."))
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "web/logged_out.html"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The projects the user belongs to, with their role in each."""
    projects = [
        (project, project_role(request.user, project))
        for project in projects_for_user(request.user)
    ]
    return render(request, "web/home.html", {"projects": projects})
