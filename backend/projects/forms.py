"""The project settings form: a ModelForm over the Project fields admins may change."""

from django import forms

from backend.projects.models import Project

# The one list of settings the page edits; a new Project setting is added here (and only here).
SETTINGS_FIELDS = (
    "name",
    "monitoring_line",
    "visit_cadence_days",
    "household_creation_needs_approval",
    "color",
    "icon",
    # The renovation area standard (rule reno_area, docs/households.md).
    "reno_min_1",
    "reno_min_2",
    "reno_min_3",
    "reno_min_per_person",
    "reno_max_small",
    "reno_max_per_person",
    # The evidence checks' thresholds (docs/evidence.md).
    "gps_accuracy_max_m",
    "village_tolerance_m",
    "household_distance_max_m",
    "photo_distance_max_m",
    "photo_time_margin_minutes",
    "photo_hash_distance_max",
    "visit_min_minutes",
    "travel_speed_max_kmh",
    "clock_skew_max_minutes",
    "submission_delay_max_days",
)


class ProjectSettingsForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = SETTINGS_FIELDS
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}
