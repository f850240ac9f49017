from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from backend.audit.models import AccessLog


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("object type")
    parameter_name = "object_type"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrOrPromise]]:
        return [
            ("household", _("household")),
            ("submission", _("submission")),
            ("export", _("export")),
            ("household_list", _("household list")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes entries from the admin."""

    list_display = [
        "created_at",
        "user",
        "project",
        "kind",
        "object_type",
        "object_id",
        "count",
        "device",
        "ip",
    ]
    # Filters with fixed options: a date hierarchy or the distinct object types would read the
    # whole log (hundreds of thousands of rows) on every page.
    list_filter = ["kind", ObjectTypeFilter, "project", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "object_id", "ip"]
    list_select_related = ["user", "project", "device"]
    # Counting every row twice a page (filtered and total) is the slow part of the list.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
