from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.households.models import Household, HouseholdVersion
from backend.households.services import household_edit


class HouseholdVersionInline(admin.TabularInline):
    model = HouseholdVersion
    extra = 0
    can_delete = False
    fields = (
        "version",
        "label",
        "received",
        "base_version",
        "conflict",
        "submission",
        "actor",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "village", "category", "house_grade", "version", "conflict")
    list_filter = ("category", "house_grade", "conflict", "project")
    search_fields = ("code", "label", "head_name")
    readonly_fields = ("uuid", "version", "properties", "conflict")
    autocomplete_fields = ["village", "helper"]
    inlines = [HouseholdVersionInline]
    # Counting every row twice a page (filtered and total) is the slow part of the list.
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Household, form: Any, change: bool) -> None:
        household_edit(household=obj)  # with the copies: the phones' list, the village's rows
