"""The forms of the campaign pages: a plan as the county enters it, a sign-off."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.areas.models import Area, Level
from backend.campaigns.models import NodeKind
from backend.campaigns.scope import PRIORITY_GROUPS
from backend.campaigns.services import Plan
from backend.households.models import Category

GROUP_LABELS = {
    "house_cd": _("C or D dangerous house"),
    "illness": _("serious or chronic illness"),
    "disabled": _("disability certificate"),
    "dibao": _("minimum living allowance"),
    "extreme_poor": _("extremely poor"),
    "elderly": _("aged 65 or over"),
}


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages or townships (none: all)"),
        queryset=Area.objects.filter(level__in=(Level.VILLAGE, Level.TOWNSHIP)),
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories (none: all)"), choices=Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    income_below = forms.DecimalField(
        label=_("Per-capita income below (yuan)"), required=False, min_value=0, decimal_places=0
    )
    income_year = forms.IntegerField(
        label=_("of the income year"), required=False, min_value=2000, max_value=2100
    )
    priority_groups = forms.MultipleChoiceField(
        label=_("Priority groups (any of them)"),
        choices=[(key, GROUP_LABELS[key]) for key in PRIORITY_GROUPS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    with_open_flags = forms.BooleanField(
        label=_("Only households with open problems"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NodeKind.choices:
            self.fields[f"{kind}_from"] = forms.DateField(
                label=_("%(node)s from") % {"node": label}, required=kind == NodeKind.VISITS,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip
            self.fields[f"{kind}_until"] = forms.DateField(
                label=_("%(node)s until") % {"node": label}, required=kind == NodeKind.VISITS,
                widget=forms.DateInput(attrs={"type": "date"}),
            )  # fmt: skip

    def node_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"{kind}_from"], self[f"{kind}_until"]) for kind in NodeKind.values]

    def plan(self) -> Plan:
        data = self.cleaned_data
        nodes = {
            kind: (data[f"{kind}_from"], data[f"{kind}_until"])
            for kind in NodeKind.values
            if data.get(f"{kind}_until")
        }
        return Plan(
            name=data["name"],
            nodes=nodes,
            villages=tuple(data["villages"]),
            categories=tuple(data["categories"]),
            income_below=data["income_below"],
            income_year=data["income_year"],
            priority_groups=tuple(data["priority_groups"]),
            with_open_flags=data["with_open_flags"],
        )


class SignOffForm(forms.Form):
    area = forms.IntegerField(widget=forms.HiddenInput)
    signer_name = forms.CharField(label=_("Signed by (names and posts)"), max_length=100)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
