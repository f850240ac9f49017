from django.contrib import admin
from django.http import HttpRequest

from backend.crosscheck.models import DepartmentImport, DepartmentTemplate, Member


@admin.register(DepartmentTemplate)
class DepartmentTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "department", "id_column")
    list_filter = ("project", "department")


@admin.register(DepartmentImport)
class DepartmentImportAdmin(admin.ModelAdmin):
    """The files read, as the pages show them: counts only, never edited."""

    list_display = ("file_name", "project", "department", "data_date", "state", "rows")
    list_filter = ("project", "department", "state")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    """Members come from registrations; a supervisor marks who moved out or died."""

    list_display = ("household", "position", "name", "relation", "status")
    list_filter = ("status",)
    search_fields = ("household__code", "name")
    fields = ("household", "position", "name", "relation", "birth", "status")
    readonly_fields = ("household", "position", "name", "relation", "birth")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
