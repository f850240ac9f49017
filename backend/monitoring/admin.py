from django.contrib import admin

from backend.monitoring.models import IncomeLine, MonitoringRule


@admin.register(IncomeLine)
class IncomeLineAdmin(admin.ModelAdmin):
    list_display = ("project", "year", "area", "amount")
    list_filter = ("project", "year")


@admin.register(MonitoringRule)
class MonitoringRuleAdmin(admin.ModelAdmin):
    list_display = ("project", "code", "active", "severity")
    list_filter = ("project", "active")
