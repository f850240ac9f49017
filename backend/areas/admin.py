from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.areas.models import Area
from backend.households.area_edits import area_save


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        area_save(area=obj)  # a village's new code reaches the phones' household lists
