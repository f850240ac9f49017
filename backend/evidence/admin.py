from django.contrib import admin

from backend.evidence.models import PhotoEvidence, VisitEvidence


@admin.register(PhotoEvidence)
class PhotoEvidenceAdmin(admin.ModelAdmin):
    list_display = ("attachment", "field", "taken_at", "latitude", "longitude", "decodable")
    list_filter = ("decodable",)
    search_fields = ("sha256", "phash", "attachment__name")
    raw_id_fields = ("attachment", "submission", "household")


@admin.register(VisitEvidence)
class VisitEvidenceAdmin(admin.ModelAdmin):
    list_display = ("submission", "worker", "device_id", "ended_at", "latitude", "longitude")
    search_fields = ("device_id",)
    raw_id_fields = ("submission", "household", "worker")
