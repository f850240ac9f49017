"""The household page: current state, open flags, visit timeline, renovation photos, conflicts."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.access import Actor
from backend.accounts.requests import SignedInRequest
from backend.audit.models import AccessKind
from backend.audit.privacy import access_log_record
from backend.core.display import joined
from backend.core.errors import InvalidInput, NotFound
from backend.core.requests import client_ip
from backend.evidence.selectors import photo_checks
from backend.flags.models import FlagState
from backend.flags.selectors import flags_seen_by
from backend.flags.services import flag_clear
from backend.households.access import access_household_by_uuid
from backend.households.labels import PropertyLabels, property_labels
from backend.households.models import Household, HouseholdVersion
from backend.households.selectors import household_for_page
from backend.households.services import household_resolve_conflict
from backend.projects.models import Project, Role
from backend.review.submission_page import Photo, gallery_photos
from backend.review.submissions import received_attachments
from backend.web.flag_cards import flag_cards
from backend.web.maps import MapData, MapPoint
from backend.web.pages import project_page
from backend.web.photo_viewer import photo_viewer_data
from forms.selectors import form_versions_by_id

STAGES = {
    "before": gettext_lazy("Before"),
    "during": gettext_lazy("During"),
    "after": gettext_lazy("After"),
}
TIMELINE_LIMIT = 100
# Renovation photos shown per stage, newest inspections first: a renovation has a handful.
PHOTOS_PER_STAGE = 12


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


@dataclass
class TimelineEntry:
    version: HouseholdVersion
    changes: list[Change] = field(default_factory=list)
    conflicting: str = ""  # the labels of the properties two visits changed differently


def household_versions(household: Household) -> list[HouseholdVersion]:
    """The newest TIMELINE_LIMIT versions, oldest first."""
    return list(
        household.versions.select_related("submission__form", "actor")
        .defer("submission__xml", "submission__fields")
        .order_by("-version")[:TIMELINE_LIMIT]
    )[::-1]


def household_timeline(
    versions: list[HouseholdVersion], labels: PropertyLabels, *, reveal: bool
) -> list[TimelineEntry]:
    """Each version, newest first, with the properties it changed from the one before."""
    entries: list[TimelineEntry] = []
    before: dict[str, Any] = {}
    for version in versions:
        data = version.data or {}
        changes = [
            Change(
                key=key,
                label=labels.name(key),
                before=labels.shown(key, before.get(key), reveal=reveal),
                after=labels.shown(key, data.get(key), reveal=reveal),
            )
            for key in sorted(before.keys() | data.keys(), key=labels.name)
            # Absent and empty both mean "not known" (forms/library/README.md).
            if (before.get(key) or "") != (data.get(key) or "")
        ]
        conflicting = joined(labels.name(key) for key in version.conflicting_properties or [])
        entries.append(TimelineEntry(version=version, changes=changes, conflicting=conflicting))
        before = data
    return entries[::-1]


def village_codes(household: Household, versions: list[HouseholdVersion]) -> set[str]:
    """Every village code the page may show, so each is shown by its name."""
    found = {str((household.properties or {}).get("village", ""))}
    found |= {str((version.data or {}).get("village", "")) for version in versions}
    return found - {""}


def renovation_photos(project: Project, household: Household) -> dict[str, list[Photo]]:
    """Photos of the household's inspections by stage (the `stage` answer: before/during/after),
    the newest PHOTOS_PER_STAGE of each, from the visits the timeline shows, in two queries."""
    stages: dict[str, list[Photo]] = {stage: [] for stage in STAGES}
    versions = (
        household.versions.exclude(submission=None)
        .select_related("submission")
        .defer("submission__xml")
        .order_by("-version")[:TIMELINE_LIMIT]
    )
    staged = [
        version.submission
        for version in versions
        if version.submission is not None
        and (version.submission.fields or {}).get("stage") in stages
    ]
    ids = [submission.pk for submission in staged]
    attachments = received_attachments(submission_ids=ids)
    checked = photo_checks(submission_ids=ids)
    # The photos are captioned with their questions' labels: each XForm read once, not per visit.
    forms = form_versions_by_id({submission.form_version_id for submission in staged})
    for submission in staged:
        submission.form_version = forms[submission.form_version_id]
    for submission in staged:  # newest first
        stage = str(submission.fields["stage"])
        if len(stages[stage]) >= PHOTOS_PER_STAGE:
            continue
        photos = gallery_photos(
            project, submission, attachments=attachments.get(submission.pk, []), checked=checked
        )
        kept = [photo for photo in photos if not photo.question.endswith("_sig")]
        # Within a stage the page reads oldest to newest, as before.
        stages[stage][:0] = kept[: PHOTOS_PER_STAGE - len(stages[stage])]
    return stages


def household_map(household: Household, stages: dict[str, list[Photo]]) -> MapData:
    data = MapData()
    if household.latitude is not None and household.longitude is not None:
        data.points.append(
            MapPoint(household.latitude, household.longitude, household.label, "household")
        )
    data.add_village(household.village)
    for stage, photos in stages.items():
        for photo in photos:
            if photo.latitude is not None and photo.longitude is not None:
                label = f"{STAGES[stage]}: {photo.name}"
                data.points.append(
                    MapPoint(photo.latitude, photo.longitude, label, "photo", photo.url)
                )
    return data


def _context(
    actor: Actor, project: Project, household: Household, *, reveal: bool
) -> dict[str, Any]:
    stages = renovation_photos(project, household)
    open_flags = (
        household.flags.filter(state=FlagState.OPEN)
        .select_related("household", "submission", "cleared_by")
        .defer("submission__xml", "submission__fields")
        .order_by("-created_at")
    )
    cards = flag_cards(
        flags_seen_by(list(open_flags), actor=actor, project=project),
        project=project,
        here=reverse("households:page", args=[project.slug, household.uuid]),
        clear=True,
    )
    versions = household_versions(household)
    labels = property_labels(project, villages=village_codes(household, versions))
    return {
        "project": project,
        "household": household,
        "properties": labels.rows(household.properties or {}, reveal=reveal),
        "flag_cards": cards,
        "photo_viewer": photo_viewer_data(
            [photo for photos in stages.values() for photo in photos], cards
        ),
        "timeline": household_timeline(versions, labels, reveal=reveal),
        "stages": [(stage, stages[stage]) for stage in STAGES],
        "has_renovation_photos": any(stages.values()),
        "map": household_map(household, stages).as_json(),
        "revealed": reveal,
    }


@require_http_methods(["GET", "POST"])
@project_page(role=Role.SUPERVISOR)
def household_page(request: SignedInRequest, project: Project, household_id: str) -> HttpResponse:
    """The page; a POST with `reveal` shows the personal data and logs that it was shown."""
    household = access_household_by_uuid(request.user, project, household_id)
    reveal = request.method == "POST" and "reveal" in request.POST
    access_log_record(
        user=request.user,
        project_id=project.pk,
        kind=AccessKind.REVEAL if reveal else AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[household.uuid],
        ip=client_ip(request),
    )
    household = household_for_page(household)
    return render(
        request,
        "households/household.html",
        _context(request.user, project, household, reveal=reveal),
    )


@require_POST
@project_page(role=Role.SUPERVISOR)
def resolve_conflict(request: SignedInRequest, project: Project, household_id: str) -> HttpResponse:
    household = access_household_by_uuid(request.user, project, household_id)
    note = str(request.POST.get("note", "")).strip()
    if not note:
        raise InvalidInput(_("Say how the conflict was resolved."))
    household_resolve_conflict(household=household, actor=request.user, note=note[:4000])
    messages.success(request, _("Conflict marked as resolved."))
    return HttpResponseRedirect(reverse("households:page", args=[project.slug, household.uuid]))


@require_POST
@project_page(role=Role.SUPERVISOR)
def clear_flag(
    request: SignedInRequest, project: Project, household_id: str, flag_id: int
) -> HttpResponse:
    household = access_household_by_uuid(request.user, project, household_id)
    flag = household.flags.filter(pk=flag_id, state=FlagState.OPEN).first()
    if flag is None:
        raise NotFound(_("Flag not found."))
    note = str(request.POST.get("note", "")).strip()
    if not note:
        raise InvalidInput(_("Say why the flag is cleared."))
    flag_clear(flag=flag, actor=request.user, note=note[:4000])
    messages.success(request, _("Flag cleared."))
    # The form sits with its flag on the household and the submission pages: back to that page.
    back = str(request.POST.get("next", ""))
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("households:page", args=[project.slug, household.uuid])
    return HttpResponseRedirect(back)
