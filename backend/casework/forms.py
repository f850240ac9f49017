"""The forms of the case pages: the queue's filters, a step's record and decision, objections and
documents. The record's fields come from the step's table in kinds.py, each typed."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.casework.kinds import SIGNATORIES, FieldSpec, StepSpec
from backend.casework.models import AttachmentRole, Kind, Outcome
from backend.casework.requirements import MAX_TEXT
from backend.casework.timeline import DECISIONS
from backend.households.submission_access import villages_with_households
from backend.projects.models import Project
from backend.web.widgets import PlainSelect

_LARGEST_COUNT = 100_000
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label=_("Kind"), widget=PlainSelect)
    village: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Village"), widget=PlainSelect
    )

    def __init__(self, data: object, *, actor: Actor, project: Project) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        kind, village = self.fields["kind"], self.fields["village"]
        assert isinstance(kind, forms.ChoiceField)
        assert isinstance(village, forms.ModelChoiceField)
        kind.choices = [("", _("Any")), *Kind.choices]
        village.queryset = villages_with_households(actor, project)


def record_field(spec: FieldSpec, initial: object) -> forms.Field:
    """A typed input for one field of a step's record; empty is allowed (an approval asks)."""
    if spec.type == "date":
        return forms.DateField(
            label=str(spec.label), required=False, widget=_DATE, initial=_day(initial)
        )
    if spec.type == "choice":
        return forms.ChoiceField(
            label=str(spec.label),
            required=False,
            choices=[("", "-"), *((code, str(label)) for code, label in spec.choices)],
            initial=initial,
        )
    if spec.type == "count":
        return forms.IntegerField(
            label=str(spec.label),
            required=False,
            min_value=0,
            max_value=_LARGEST_COUNT,
            initial=initial,
        )
    return forms.CharField(
        label=str(spec.label),
        required=False,
        max_length=MAX_TEXT,
        initial=initial,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class StepForm(forms.Form):
    """The waiting step's record, and the decision with its comment."""

    decision = forms.ChoiceField(
        choices=list(DECISIONS.items()),
        label=_("Decision"),
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment (the reason of a return or a rejection)"),
    )

    def __init__(self, data: object = None, *, spec: StepSpec, record: dict[str, object]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.record_names = [field.name for field in spec.fields]
        for field in spec.fields:
            self.fields[f"record_{field.name}"] = record_field(field, record.get(field.name))

    def record_fields(self) -> list[forms.BoundField]:
        return [self[f"record_{name}"] for name in self.record_names]

    def values(self) -> dict[str, object]:
        """The record as the services take it: dates as YYYY-MM-DD, None for a field sent
        empty (it is removed); a field not sent stays as it is (call after is_valid())."""
        values: dict[str, object] = {}
        for name in self.record_names:
            if f"record_{name}" not in self.data:
                continue
            value = self.cleaned_data.get(f"record_{name}")
            values[name] = (
                value.isoformat() if isinstance(value, date) else (None if value == "" else value)
            )
        return values


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=_DATE)
    raised_by = forms.CharField(label=_("Raised by"), required=False, max_length=100)
    text = forms.CharField(
        label=_("Objection"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (Outcome.UPHELD, Outcome.UPHELD.label),
            (Outcome.DISMISSED, Outcome.DISMISSED.label),
        ],
        label=_("Outcome"),
    )
    note = forms.CharField(
        label=_("How it was handled"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentForm(forms.Form):
    role = forms.ChoiceField(choices=AttachmentRole.choices, label=_("Document"))
    signer_role = forms.ChoiceField(label=_("Signed by (for a signature)"), required=False)
    signer_name = forms.CharField(label=_("Signatory's name"), required=False, max_length=100)
    file = forms.FileField(label=_("File (a scan or a photo)"))

    def __init__(self, data: object = None, files: object = None, *, spec: StepSpec) -> None:
        super().__init__(data, files)  # type: ignore[arg-type]
        signer = self.fields["signer_role"]
        assert isinstance(signer, forms.ChoiceField)
        signer.choices = [("", "—"), *((code, SIGNATORIES[code]) for code in spec.signatories)]
        self.fields["file"].widget.attrs["accept"] = "image/*,application/pdf"


class BulkApproveForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Comment"),
    )
