"""What the import pages share: the upload form and how a refusal is shown."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.core.errors import DomainError

# Bad rows listed on the page; a file with more says how many more there are.
DETAILS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, accept: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accept


def refusal(exc: DomainError) -> dict[str, Any]:
    """The page's error box for a refused import: its message and the first bad rows."""
    details = list(exc.details[:DETAILS_SHOWN])
    hidden = len(exc.details) - len(details)
    if hidden > 0:
        details.append(gettext("… and %(n)d more.") % {"n": hidden})
    return {"error": str(exc), "details": details}
