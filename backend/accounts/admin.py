from datetime import datetime
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import ApiToken, DeviceToken, User
from backend.accounts.provisioning import phone_setup
from backend.accounts.services import (
    api_token_issue,
    api_token_revoke,
    device_token_issue,
    device_token_revoke,
)
from backend.core.errors import DomainError


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "is_staff", "is_active")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),  # typed optional; Django's UserAdmin sets it
        (None, {"fields": ("full_name", "phone")}),
    )


class DeviceTokenForm(forms.ModelForm):
    class Meta:
        model = DeviceToken
        fields = ("user", "project", "label")


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    """Issue a phone's token (its QR code is shown once) and revoke lost phones."""

    form = DeviceTokenForm
    list_display = ("user", "project", "label", "created_at", "last_used_at", "revoked_at")
    list_filter = ("project", "revoked_at")
    search_fields = ("user__username", "user__full_name", "label")
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        form = DeviceTokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            _, secret = device_token_issue(
                user=data["user"], project=data["project"], label=data["label"]
            )
            return self._qr_page(request, secret, data)
        return super().add_view(request, form_url, extra_context)

    def _qr_page(self, request: HttpRequest, secret: str, data: dict) -> HttpResponse:
        project, user = data["project"], data["user"]
        setup = phone_setup(secret=secret, user=user, project=project)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("ODK Collect QR code"),
            "user_name": str(user),
            "project": project,
            "server_url": setup.server_url,
            "settings_json": setup.settings_json,
            "qr_png": setup.png_base64(),
        }
        response = TemplateResponse(request, "admin/accounts/devicetoken/qr.html", context)
        response["Cache-Control"] = "no-store"  # the page holds a secret
        return response

    @admin.action(description=_("Revoke the selected device tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        for token in queryset:
            device_token_revoke(token=token)
        self.message_user(request, _("Revoked."), messages.SUCCESS)


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "expires_at")

    def clean_expires_at(self) -> datetime | None:
        expires_at: datetime | None = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: everyone sees and issues their own; superusers see all of them."""

    form = ApiTokenForm
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username")
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user_id=request.user.pk)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoke instead: the row keeps when it was used

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        # The admin's form class, so the expiry uses the admin's split date and time widget.
        form = self.get_form(request)(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                _token, secret = api_token_issue(
                    # The admin lets only signed-in staff this far.
                    user=cast(User, request.user),
                    name=form.cleaned_data["name"],
                    expires_at=form.cleaned_data["expires_at"],
                )
            except DomainError as exc:
                # The form checks what the service checks; never fall through to a plain save.
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(request.path)
            else:
                self.message_user(
                    request,
                    _("Your new API token (copy it now, it is not shown again): %(token)s")
                    % {"token": secret},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:accounts_apitoken_changelist"))
        return super().add_view(request, form_url, extra_context)

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("Revoked."), messages.SUCCESS)
