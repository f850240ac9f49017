from django.contrib import admin
from django.http import HttpRequest

from backend.casework.models import Case, CaseworkSettings, DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin[DayOverride]):
    list_display = ("day", "working", "note")
    list_filter = ("working",)
    date_hierarchy = "day"


@admin.register(CaseworkSettings)
class CaseworkSettingsAdmin(admin.ModelAdmin[CaseworkSettings]):
    list_display = ("project", "notice_min_days", "income_steady_visits")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Read only: cases change through their steps' decisions (backend/casework/services.py)."""

    list_display = ("pk", "project", "household", "kind", "state", "step", "level", "due_on")
    list_filter = ("project", "kind", "state", "level")
    raw_id_fields = ("household", "village", "flag", "household_version")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False
