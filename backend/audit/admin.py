from django.contrib import admin
from django.http import HttpRequest

from backend.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes entries from the admin."""

    list_display = ["created_at", "user", "project", "kind", "object_type", "object_id", "ip"]
    list_filter = ["kind", "object_type", "project"]
    search_fields = ["user__username", "object_id", "ip"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "project"]
    # Counting every row twice a page (filtered and total) is the slow part of the list.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
