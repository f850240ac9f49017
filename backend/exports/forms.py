"""The exports page's request form: what backend/exports/params.py accepts, as choices."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.exports.models import ExportKind
from backend.exports.params import ExportParams
from backend.households.submission_access import villages_with_households
from backend.projects.models import Project
from backend.submissions.models import ReviewState
from backend.web.widgets import PlainSelect
from forms.models import Form
from forms.selectors import forms_by_title


class ExportRequestForm(forms.Form):
    """One export request. The service checks it again (clean_params); the choices here only
    offer what makes sense to the reader."""

    kind = forms.ChoiceField(label=_("What to export"), choices=ExportKind.choices)
    # The choices depend on the reader: set in __init__.
    form: forms.ModelChoiceField[Form] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="xml_form_id",
        label=_("Form"),
        help_text=_("Needed for form submissions; narrows submission points and photos."),
        widget=PlainSelect,
    )
    village: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="code",
        label=_("Village"),
        empty_label=_("All my villages"),
        widget=PlainSelect,
    )
    since = forms.DateField(
        required=False, label=_("Received from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("Received until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    review_state = forms.ChoiceField(
        required=False,
        label=_("Review state"),
        choices=[("", _("Any")), *ReviewState.choices],
    )
    labels = forms.BooleanField(
        required=False, label=_("Labels instead of field names (headers and choices)")
    )
    split_select_multiple = forms.BooleanField(
        required=False, label=_("A column for each choice of a multiple-choice question")
    )
    language = forms.CharField(
        required=False,
        max_length=64,
        label=_("Language of the form's labels"),
        help_text=_("Leave empty for the form's default language."),
    )
    personal_data = forms.BooleanField(
        required=False,
        label=_("Include ID numbers and health answers unmasked (recorded in the access log)"),
    )

    def __init__(
        self, data: Any = None, *, actor: Actor, project: Project, may_unmask: bool
    ) -> None:
        super().__init__(data)
        form_field, village = self.fields["form"], self.fields["village"]
        assert isinstance(form_field, forms.ModelChoiceField)
        assert isinstance(village, forms.ModelChoiceField)
        form_field.queryset = forms_by_title(project=project)
        village.queryset = villages_with_households(actor, project)
        if not may_unmask:
            del self.fields["personal_data"]

    def params(self) -> ExportParams:
        """The request as the service takes it (call after is_valid())."""
        data = self.cleaned_data
        form, village = data.get("form"), data.get("village")
        since, until = data.get("since"), data.get("until")
        return ExportParams(
            form=form.xml_form_id if form else "",
            labels=bool(data.get("labels")),
            language=data.get("language") or "",
            split_select_multiple=bool(data.get("split_select_multiple")),
            village=village.code if village else "",
            since=since.isoformat() if since else "",
            until=until.isoformat() if until else "",
            review_state=data.get("review_state") or "",
            personal_data=bool(data.get("personal_data")),
        )
