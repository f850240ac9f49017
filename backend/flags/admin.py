from django.contrib import admin
from django.http import HttpRequest

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

    def has_change_permission(self, request: HttpRequest, obj: Flag | None = None) -> bool:
        """Flags are read here: they are closed by visits and cleared, with a note, on the
        household page, whose service keeps the queue's order (backend/flags/services.py)."""
        return False
