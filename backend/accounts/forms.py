"""The people pages' forms: adding a member (an existing user or a new one) and changing one."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor, grantable_areas
from backend.areas.models import Area
from backend.projects.models import Project, Role


class AreasField(forms.ModelMultipleChoiceField[Area]):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_level_display()})"


class RoleAreasForm(forms.Form):
    """A role and the areas where it applies, offered only within the admin's own area."""

    # Department staff need their department: a site admin adds them (Django's admin).
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.DEPARTMENT]
    )
    areas = AreasField(
        queryset=None,
        required=False,
        label=_("Areas"),
        help_text=_(
            "Villages, or a township or county for all its villages. None: the whole project "
            "for supervisors and admins, only the households they help for field workers."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "wide"}),
    )

    def __init__(self, data: Any = None, *, actor: Actor, project: Project, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        areas = self.fields["areas"]
        assert isinstance(areas, AreasField)
        areas.queryset = grantable_areas(actor, project)


class MemberAddForm(RoleAreasForm):
    """Add someone who already has an account on this server."""

    username = forms.CharField(max_length=150, label=_("User name"))

    field_order = ["username", "role", "areas"]


class NewMemberForm(RoleAreasForm):
    """Create an account with a first password; its owner chooses their own at first sign-in."""

    username = forms.CharField(max_length=150, label=_("User name"))
    full_name = forms.CharField(max_length=150, required=False, label=_("Name"))
    password = forms.CharField(
        label=_("First password"),
        help_text=_("Tell it to them in person; they must change it when they first sign in."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "full_name", "password", "role", "areas"]
