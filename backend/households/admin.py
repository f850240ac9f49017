from django.contrib import admin

from backend.households.models import Household


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "village", "category", "house_grade", "version")
    list_filter = ("category", "house_grade", "project")
    search_fields = ("code", "label", "head_name")
    readonly_fields = ("uuid", "version", "properties")
    autocomplete_fields = ["village", "helper"]
