from django.contrib import admin

from forms.models import Form, FormAttachment, FormVersion


class FormAttachmentInline(admin.TabularInline[FormAttachment, FormVersion]):
    model = FormAttachment
    extra = 0
    fields = ("name", "kind", "entity_list", "generated", "file", "md5", "size")
    readonly_fields = ("name", "kind", "entity_list", "generated", "md5", "size")
    can_delete = False


@admin.register(Form)
class FormAdmin(admin.ModelAdmin[Form]):
    list_display = ("xml_form_id", "title", "project", "state", "current_version")
    list_filter = ("state", "project")
    search_fields = ("xml_form_id", "title")
    readonly_fields = ("xml_form_id", "project", "current_version")


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin[FormVersion]):
    list_display = ("form", "version", "md5", "published_by", "created_at")
    list_filter = ("form__project",)
    search_fields = ("form__xml_form_id", "version")
    # A published XForm never changes: every field is read-only here.
    readonly_fields = (
        "form",
        "version",
        "md5",
        "source",
        "source_name",
        "warnings",
        "entities",
        "published_by",
        "xform",
    )
    inlines = [FormAttachmentInline]

    def has_add_permission(self, request: object) -> bool:
        return False
