"""The access-log page's filters, read from the query string."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.accounts.selectors import members_list
from backend.audit.models import AccessKind
from backend.audit.selectors import AccessLogQuery
from backend.projects.models import Project
from backend.web.widgets import PlainSelect


class AccessLogFilterForm(forms.Form):
    person = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Person"), widget=PlainSelect
    )
    kind = forms.ChoiceField(
        required=False, label=_("What they did"), choices=[("", _("Any")), *AccessKind.choices]
    )
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, project: Project) -> None:
        super().__init__(data)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        # The project's members: the people whose looks at its records are logged.
        people = sorted(
            ((m.user_id, str(m.user)) for m in members_list(project=project)),
            key=lambda item: item[1],
        )
        person.choices = [("", _("Anyone")), *people]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def query(self) -> AccessLogQuery:
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        return AccessLogQuery(
            user_id=data.get("person"),
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
