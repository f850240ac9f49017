from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.crosscheck.models import DepartmentTemplate
from backend.crosscheck.selectors import templates_list
from backend.projects.models import Project


class DepartmentFileForm(forms.Form):
    # The project's templates: set in __init__.
    template: forms.ModelChoiceField[DepartmentTemplate] = forms.ModelChoiceField(
        queryset=None, label=_("Template")
    )
    data_date = forms.DateField(
        label=_("Date of the records"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = self.fields["template"]
        assert isinstance(template, forms.ModelChoiceField)
        template.queryset = templates_list(project)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
