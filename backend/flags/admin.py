from django.contrib import admin

from backend.flags.models import Flag


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("code", "household", "subject", "severity", "state", "created_at", "closed_at")
    list_filter = ("state", "severity", "code", "project")
    search_fields = ("household__code", "household__label", "code")
    readonly_fields = (
        "project",
        "household",
        "submission",
        "code",
        "subject",
        "severity",
        "evidence",
        "closed_at",
        "closed_by_submission",
        "cleared_by",
    )
