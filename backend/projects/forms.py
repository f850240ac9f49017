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
)


class ProjectSettingsForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = SETTINGS_FIELDS
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}
