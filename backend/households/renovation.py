"""An acceptance the registry refuses: a renovation is accepted by someone other than the
household's own helper, after its appraisal and its construction are on record (seeds 000, 001,
002: appraisal → reinforcement or rebuilding → acceptance by the authorities; nobody accepts
their own work). The visit is kept as sent; its acceptance and new grade are not applied."""

from dataclasses import dataclass

from backend.households.models import Household

# What an acceptance changes, and so what a refused one leaves as it was.
WITHHELD = ("reno_status", "house_grade")
ACCEPTED = "accepted"
# Versions read for the stages since the last acceptance: renovations take a few inspections.
_HISTORY = 60


@dataclass(frozen=True)
class RefusedAcceptance:
    household: Household
    evidence: dict[str, object]


def acceptance_refusal(
    household: Household, sender_id: int | None, received: dict[str, str]
) -> dict[str, object] | None:
    """Why the acceptance in `received` is refused, as a flag's evidence; None when the update
    accepts nothing or may."""
    if received.get("reno_status") != ACCEPTED:
        return None
    current = household.properties or {}
    if current.get("reno_status") == ACCEPTED:
        return None  # a later inspection of an accepted house accepts nothing new
    reasons = []
    if sender_id is not None and sender_id == household.helper_id:
        reasons.append("own_helper")
    stages = _stages_since_acceptance(household)
    if "appraised" not in stages:
        reasons.append("no_appraisal")
    if "in_progress" not in stages:
        reasons.append("no_construction")
    if not reasons:
        return None
    return {
        "reasons": reasons,
        "reno_status": current.get("reno_status") or None,
        "house_grade": household.house_grade or None,
        "grade_sent": received.get("house_grade") or None,
    }


def without_acceptance(received: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in received.items() if key not in WITHHELD}


def _stages_since_acceptance(household: Household) -> set[str]:
    """The renovation statuses the household went through since it was last accepted."""
    statuses = list(
        household.versions.order_by("-version").values_list("data__reno_status", flat=True)[
            :_HISTORY
        ]
    )
    stages: set[str] = set()
    for status in statuses:
        if status == ACCEPTED:
            break
        stages.add(str(status or ""))
    return stages
