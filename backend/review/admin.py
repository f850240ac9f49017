from django.contrib import admin

from backend.flags.models import RiskWeight
from backend.review.models import ReviewComment


@admin.register(RiskWeight)
class RiskWeightAdmin(admin.ModelAdmin):
    list_display = ["project", "code", "weight"]
    list_filter = ["project"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["submission", "author", "decision", "created_at"]
    list_filter = ["decision"]
    raw_id_fields = ["submission"]
    readonly_fields = ["submission", "author", "decision", "previous_state", "text"]
