"""Sign in and out, and the start page listing the user's projects."""

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import project_role, projects_for_user
from backend.web.ratelimit import login_blocked, login_failed, login_succeeded
from backend.web.requests import client_ip


class LoginView(auth_views.LoginView):
    """Django's login, refusing further attempts once a user name from one address failed often."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        if login_blocked(username, client_ip(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Wait a while and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        login_failed(str(form.data.get("username", "")), client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        login_succeeded(str(form.data.get("username", "")), client_ip(self.request))
        return super().form_valid(form)


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
