from django.contrib import admin

from backend.statistics.models import VillagePopulation


@admin.register(VillagePopulation)
class VillagePopulationAdmin(admin.ModelAdmin[VillagePopulation]):
    list_display = ("village", "year", "population")
    list_filter = ("year",)
    search_fields = ("village__name", "village__code")
    autocomplete_fields = ("village",)
