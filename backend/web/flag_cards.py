"""Flags as a page shows them: the rule's meaning, its sentence with the numbers filled in, the
state in plain words, and links to what the flag points at (the household, the visit, the photo,
the rectification item). Used by every page that lists flags (web/includes/flags.html)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from backend.casework.selectors import case_ids_of_flags
from backend.core.display import day
from backend.flags.catalogue import flag_label, reader_sees_other
from backend.flags.models import Flag, FlagState
from backend.flags.sentences import flag_sentence
from backend.households.labels import FormTexts, PropertyLabels
from backend.households.models import Household
from backend.projects.models import Project

# "Open" reads as "开放" (open to the public) in Chinese: a flag waits for someone to act.
STATE_WORDS: dict[str, Promise] = {
    FlagState.OPEN: pgettext_lazy("flag state", "Open"),
    FlagState.CLOSED: pgettext_lazy("flag state", "Closed"),
}


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    photo: str = ""  # the photo's key on a page (`data-photo`): the viewer opens it there


@dataclass
class FlagCard:
    flag: Flag
    label: str
    sentence: str
    state: str
    found: str
    closed: str = ""  # when and how it was closed ("" while open)
    links: list[Link] = field(default_factory=list)
    clear_url: str = ""  # where its clear form posts; "" when it cannot be cleared here


def flag_cards(
    flags: Iterable[Flag], *, project: Project, here: str = "", clear: bool = False
) -> list[FlagCard]:
    """The flags as cards, their cases read in one query. `here` is the page's own URL: no card
    links to it, and a cleared flag comes back to it. With `clear`, open household flags carry
    the URL of their clear form."""
    flags = list(flags)
    cases = case_ids_of_flags(flag_ids=[flag.pk for flag in flags])
    labels = PropertyLabels(FormTexts())
    return [_card(flag, project, labels, cases.get(flag.pk), here, clear) for flag in flags]


def _card(
    flag: Flag,
    project: Project,
    labels: PropertyLabels,
    case_id: int | None,
    here: str,
    clear: bool,
) -> FlagCard:
    links = [link for link in _links(flag, project, case_id) if link.url != here]
    household = flag.household if clear and flag.household_id is not None else None
    clearable = household is not None and flag.state == FlagState.OPEN
    return FlagCard(
        flag=flag,
        label=flag_label(flag.code, flag.project_id),
        sentence=flag_sentence(flag, labels),
        state=str(STATE_WORDS.get(flag.state, flag.state)),
        found=day(flag.created_at),
        closed=_closed(flag),
        links=links,
        clear_url=_clear_url(flag, household, project) if household and clearable else "",
    )


def _links(flag: Flag, project: Project, case_id: int | None) -> list[Link]:
    links: list[Link] = []
    household = flag.household if flag.household_id is not None else None
    if household is not None:
        url = reverse("households:page", args=[project.slug, household.uuid])
        links.append(Link(url, _("Household %(label)s") % {"label": household.label}))
    submission = flag.submission if flag.submission_id is not None else None
    if submission is not None:
        url = reverse("review:submission", args=[project.slug, submission.pk])
        photo = flag.subject.partition("/")[2]
        if photo:
            text = _("The photo %(name)s") % {"name": photo}
            links.append(Link(f"{url}#photos", text, photo=f"{submission.pk}/{photo}"))
        when = day(submission.created_at)
        links.append(Link(url, _("The visit of %(day)s") % {"day": when}))
    other = (flag.evidence or {}).get("other_submission_id")
    if isinstance(other, int) and reader_sees_other(flag):
        url = reverse("review:submission", args=[project.slug, other])
        links.append(Link(url, _("The other submission")))
    if case_id is not None:
        url = reverse("casework:case", args=[project.slug, case_id])
        links.append(Link(url, _("Its rectification item")))
    return links


def _closed(flag: Flag) -> str:
    if flag.state != FlagState.CLOSED or flag.closed_at is None:
        return ""
    when = day(flag.closed_at)
    if flag.cleared_by_id is not None:
        return _("Cleared by %(person)s on %(day)s.") % {"person": flag.cleared_by, "day": when}
    if flag.closed_by_submission_id is not None:
        return _("A later visit found it gone on %(day)s.") % {"day": when}
    return _("Closed on %(day)s.") % {"day": when}


def _clear_url(flag: Flag, household: Household, project: Project) -> str:
    return reverse("households:clear_flag", args=[project.slug, household.uuid, flag.pk])
