"""The web forms (docs/forms.md#web-forms): a form previewed, or filled for a household at a desk.

Enketo runs in the browser (backend/web/enketo/); these views give it the XForm and its lists
and take back what it sends, through the same intake as a phone's submission.
"""

from typing import Any

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.errors import DomainError
from backend.core.requests import client_ip
from backend.households.access import access_household_by_uuid
from backend.households.models import Household
from backend.households.web_forms import (
    WebForm,
    fillable_form,
    web_form_for_household,
    web_form_preview_version,
)
from backend.pipeline.intake import submission_intake
from backend.projects.models import Project, Role
from backend.submissions.models import Channel
from backend.submissions.uploads import submission_parts
from backend.web.pages import project_page
from backend.web.vendor import enketo_built
from forms.access import access_form_by_xml_id


def _words() -> dict[str, str]:
    """What the page script says, in the page's language."""
    return {
        "invalid": _("Some answers are missing or not allowed: see the questions marked in red."),
        "sending": _("Sending…"),
        "sent": _("Submission received."),
        "failed": _("The submission was not received. Try again."),
        "loadErrors": _("The form opened with problems:"),
        "broken": _("The form could not be opened:"),
        "formLanguage": _("Language of the form"),
    }


def _enketo_words() -> dict[str, str]:
    """Enketo's own interface words (its translation keys), in the page's language."""
    return {
        "constraint.invalid": _("Value not allowed"),
        "constraint.required": _("This field is required"),
        "constraint.relevant": _("Not relevant"),
        "form.required": _("required"),
        "filepicker.placeholder": _("Click here to upload a file (< __maxSize__)"),
        "filepicker.toolargeerror": _("File too large (> __maxSize__)"),
        "selectpicker.noneselected": _("none selected"),
        "selectpicker.numberselected": _("__number__ selected"),
        "hint.guidance.details": _("more details"),
        "geopicker.latitude": _("latitude (x.y °)"),
        "geopicker.longitude": _("longitude (x.y °)"),
        "geopicker.altitude": _("altitude (m)"),
        "geopicker.accuracy": _("accuracy (m)"),
        "geopicker.searchPlaceholder": _("search for place or address"),
    }


# The transformer's markup and enketo-core's widgets set `style` attributes (a hidden fieldset, a
# widget's width); the web form pages let the policy take inline style attributes, and nothing
# else more than the other pages.
web_form_policy = csp_update({"style-src-attr": [UNSAFE_INLINE]})


def render_web_form(
    request: HttpRequest,
    web_form: WebForm,
    *,
    heading: str,
    intro: str,
    submit_url: str | None = None,
    back_url: str = "",
) -> HttpResponse:
    """The page that opens `web_form` in Enketo; with `submit_url`, it can be sent there."""
    config: dict[str, Any] = {
        "xform": web_form.xform,
        "external": web_form.external,
        "prefill": web_form.prefill,
        "submitUrl": submit_url,
        "csrfToken": get_token(request),
        "words": _words(),
        "enketo": _enketo_words(),
        # The tiles of the other pages' maps (docs/configuration.md), for geopoint questions.
        "map": {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
    context = {
        "heading": heading,
        "intro": intro,
        "built": enketo_built(),
        "config": config,
        "submit_url": submit_url,
        "back_url": back_url,
    }
    return render(request, "web/webform.html", context)


def _household_url(project: Project, household: Household) -> str:
    return reverse("households:page", args=[project.slug, household.uuid])


@require_GET
@web_form_policy
@project_page(role=Role.SUPERVISOR)
def household_fill(
    request: SignedInRequest, project: Project, household_id: str, form_id: str
) -> HttpResponse:
    """A form opened for a household, as a phone would open it with the household chosen."""
    household = access_household_by_uuid(request.user, project, household_id)
    web_form = web_form_for_household(
        actor=request.user, project=project, household=household, form_id=form_id
    )
    # The form shows the household's line of the phones' list: a look at the household.
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[household.uuid],
        ip=client_ip(request),
    )
    submit = reverse("web:household_fill_submit", args=[project.slug, household.uuid, form_id])
    return render_web_form(
        request,
        web_form,
        heading=_("%(form)s for %(household)s") % {"form": web_form.title, "household": household},
        intro=_(
            "Entering a paper visit: the submission goes through the same checks as one sent"
            " from a phone, and records that you entered it here."
        ),
        submit_url=submit,
        back_url=_household_url(project, household),
    )


@require_POST
@project_page(role=Role.SUPERVISOR)
def household_fill_submit(
    request: SignedInRequest, project: Project, household_id: str, form_id: str
) -> HttpResponse:
    """What the web form sends: the instance XML and its files, into the phones' intake."""
    household = access_household_by_uuid(request.user, project, household_id)
    # The form must be one a household is filled with here (open, choosing a household).
    fillable_form(project=project, form_id=form_id)
    try:
        xml, files = submission_parts(request)
        result = submission_intake(
            project=project,
            xml=xml,
            files=files,
            submitted_by=request.user,
            channel=Channel.WEB,
        )
    except DomainError as exc:
        return JsonResponse({"message": str(exc)}, status=exc.status)
    message = (
        _("Submission received.")
        if result.submission.complete
        else _("Submission received; some attachments are still to come.")
    )
    return JsonResponse(
        {"message": message, "url": _household_url(project, household)},
        status=201 if result.created else 200,
    )


@require_GET
@web_form_policy
@project_page(role=Role.ADMIN)
def form_preview(request: SignedInRequest, project: Project, form_id: str) -> HttpResponse:
    """A published form's current version, to look at and try: nothing is sent."""
    form = access_form_by_xml_id(request.user, project.slug, form_id, role=Role.ADMIN)
    web_form = web_form_preview_version(actor=request.user, project=project, form=form)
    return render_web_form(
        request,
        web_form,
        heading=_("Preview: %(form)s") % {"form": web_form.title},
        intro=_("Try the form as a phone shows it. Nothing is sent or saved."),
        back_url=reverse("forms:detail", args=[project.slug, form.xml_form_id]),
    )
