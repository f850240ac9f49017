from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from backend.accounts.models import DeviceToken, User
from backend.accounts.provisioning import phone_setup
from backend.accounts.services import device_token_issue, device_token_revoke


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "is_staff", "is_active")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
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
