from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.crosscheck.models import DepartmentTemplate
from backend.projects.models import Project


class DepartmentFileForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=DepartmentTemplate.objects.none(), label=_("Template")
    )
    data_date = forms.DateField(
        label=_("Date of the records"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = DepartmentTemplate.objects.filter(project=project)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
