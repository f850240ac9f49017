"""The admin pages' forms for publishing XLSForms, changing states and uploading media."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.web.fields import MultipleFileField
from forms.models import FormState


class PublishForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm or XForm"),
        help_text=_(".xlsx, .xls, .csv, .md or .xml"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.xlsm,.csv,.md,.xml"}),
    )
    attachments = MultipleFileField(
        required=False,
        label=_("Media and CSV files (optional)"),
        help_text=_("Files the form references, matched by file name."),
    )


class AttachmentsForm(forms.Form):
    # The metaclass takes declared fields off the class, so the field does not hide the form's
    # `files` (the uploads); the stubs cannot see that.
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=FormState.choices, label=_("State"))
