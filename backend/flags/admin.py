from django.contrib import admin
from django.db import transaction
from django.forms import ModelForm
from django.http import HttpRequest

from backend.flags.models import Flag
from backend.review.risk import submission_risk_refresh


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

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Flag, form: ModelForm, change: bool) -> None:
        """A state changed here changes the queue's order like the flag services do."""
        super().save_model(request, obj, form, change)
        submission_risk_refresh(project=obj.project_id, submission_ids=[obj.submission_id])
