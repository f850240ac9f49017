from django import forms
from django.utils.translation import gettext_lazy as _

from backend.accounts.access import Actor
from backend.areas.models import Area
from backend.flags.catalogue import FLAGS, flag_codes, flag_label
from backend.flags.risk import SEVERITY_WEIGHTS
from backend.flags.selectors import flag_codes_seen
from backend.households.submission_access import villages_with_households
from backend.projects.models import Project
from backend.review.selectors import OPEN_STATES, risk_weights_of
from backend.review.submissions import SubmissionQuery
from backend.submissions.models import ReviewState
from backend.web.widgets import PlainSelect
from forms.models import Form
from forms.selectors import forms_by_title

ALL_STATES = "all"
TO_REVIEW = ""


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string; invalid values are shown, not ignored."""

    # The choices depend on the reader: set in __init__.
    form: forms.ModelChoiceField[Form] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Form"), widget=PlainSelect
    )
    village: forms.ModelChoiceField[Area] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Village"), widget=PlainSelect
    )
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(required=False, label=_("Review state"), widget=PlainSelect)
    flag = forms.ChoiceField(required=False, label=_("Flag"), widget=PlainSelect)

    def __init__(self, data: object, *, actor: Actor, project: Project) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        form_field, village = self.fields["form"], self.fields["village"]
        state, flag = self.fields["state"], self.fields["flag"]
        assert isinstance(form_field, forms.ModelChoiceField)
        assert isinstance(village, forms.ModelChoiceField)
        assert isinstance(state, forms.ChoiceField)
        assert isinstance(flag, forms.ChoiceField)
        form_field.queryset = forms_by_title(project=project)
        village.queryset = villages_with_households(actor, project)
        state.choices = [
            (TO_REVIEW, _("To review")),
            (ALL_STATES, _("All")),
            *ReviewState.choices,
        ]
        # Flags are opened with catalogue codes or the codes of the project's own rules, so
        # these list them all without reading the open flags.
        codes = sorted(flag_codes(project.pk))
        flag.choices = [("", _("Any")), *((c, flag_label(c, project.pk)) for c in codes)]

    def query(self) -> SubmissionQuery:
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        state = data.get("state") or TO_REVIEW
        states = OPEN_STATES if state == TO_REVIEW else () if state == ALL_STATES else (state,)
        form, village = data.get("form"), data.get("village")
        return SubmissionQuery(
            form=form.xml_form_id if form else "",
            village=village.code if village else "",
            since=data.get("date_from"),
            until=data.get("date_to"),
            states=states,
            flag=data.get("flag") or "",
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ReviewState.APPROVED, _("Approve")),
            (ReviewState.HAS_ISSUES, _("Has issues")),
            (ReviewState.REJECTED, _("Reject")),
        ],
        label=_("Decision"),
    )
    comment = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea, label=_("Comment")
    )


class CommentForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea, label=_("Comment"))


class RiskWeightsForm(forms.Form):
    """One weight per flag code the project knows; empty means the default of its severity."""

    def __init__(self, data: object = None, *, project: Project) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        severities = {code: severity for code, (severity, _label) in FLAGS.items()}
        for code, severity in flag_codes_seen(project=project):
            severities.setdefault(code, severity)
        current = risk_weights_of(project=project)
        self.codes = sorted(severities.keys() | current.keys())
        for code in self.codes:
            default = SEVERITY_WEIGHTS.get(severities.get(code, ""), SEVERITY_WEIGHTS["info"])
            self.fields[self.field_name(code)] = forms.IntegerField(
                label=flag_label(code, project.pk),
                required=False,
                min_value=0,
                max_value=1000,
                initial=current.get(code),
                help_text=code,
                widget=forms.NumberInput(attrs={"placeholder": default, "class": "weight"}),
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"weight_{code}"

    def weights(self) -> dict[str, int | None]:
        """Code → weight, None for "use the default" (call after is_valid())."""
        return {code: self.cleaned_data.get(self.field_name(code)) for code in self.codes}
