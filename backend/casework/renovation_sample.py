"""The county's re-inspection sample of accepted renovations (seed 000: 组织开展工程质量“回头看”):
a set share (casework settings, `reinspection_share`) of the renovations the county accepted
and has not sampled yet, drawn at random with a recorded seed, each house sent to the phone
list of a field worker who is not its helper and did not inspect it. docs/renovation.md."""

import math
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.areas.models import Level
from backend.casework.access import case_levels
from backend.casework.eligibility import casework_settings
from backend.casework.models import Case, CaseState, Kind
from backend.casework.renovation_models import ReinspectionSample, Renovation, RenovationVisit
from backend.core.errors import InvalidInput, PermissionDenied
from backend.households.services import household_reinspector_set
from backend.projects.models import Membership, Project, Role

# Seeds are stored in a signed 64-bit column.
_SEED_BITS = 62


@dataclass(frozen=True)
class Drawn:
    sample: ReinspectionSample
    # The renovations drawn, each with the worker now re-inspecting it (None: no other worker).
    chosen: list[tuple[Renovation, User | None]]


@transaction.atomic(durable=True)
def reinspection_sample_draw(*, project: Project, actor: User, seed: int | None = None) -> Drawn:
    """Draw the sample from the accepted renovations the county actor sees; `seed` repeats an
    earlier draw's choice (a new random one when None)."""
    levels = case_levels(actor, project)
    if Level.COUNTY not in levels.areas:
        raise PermissionDenied(_("The county draws the re-inspection sample."))
    seed = secrets.randbits(_SEED_BITS) if seed is None else seed
    if not 0 <= seed < 2**_SEED_BITS:
        raise InvalidInput(_("The seed is a whole number from 0."))
    pool = list(
        Renovation.objects.select_for_update(of=("self",))
        .filter(
            case__project=project,
            case__kind=Kind.RENOVATION,
            case__state=CaseState.APPROVED,
            sample__isnull=True,
        )
        .filter(case__in=Case.objects.filter(project=project).filter(levels.where(Level.COUNTY)))
        .select_related("case__household")
        .order_by("case_id")
    )
    share = casework_settings(project).reinspection_share
    size = math.ceil(len(pool) * share / 100) if pool else 0
    rng = random.Random(seed)  # noqa: S311  a reproducible draw, not a secret
    sample = ReinspectionSample.objects.create(
        project=project, share=share, seed=seed, population=len(pool), drawn_by=actor
    )
    workers = _collectors(project)
    chosen = []
    for renovation in rng.sample(pool, size):
        worker = _another_worker(renovation, workers, rng)
        renovation.sample, renovation.reinspector = sample, worker
        renovation.save(update_fields=["sample", "reinspector"])
        if worker is not None and renovation.case.household is not None:
            household_reinspector_set(household=renovation.case.household, reinspector_id=worker.pk)
        chosen.append((renovation, worker))
    return Drawn(sample=sample, chosen=chosen)


def _collectors(project: Project) -> list[User]:
    memberships = Membership.objects.filter(
        project=project, role=Role.COLLECTOR, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in memberships.order_by("user_id")]


def _another_worker(renovation: Renovation, workers: list[User], rng: random.Random) -> User | None:
    """A field worker who is not the household's helper and sent none of its inspections."""
    household = renovation.case.household
    senders = set(
        RenovationVisit.objects.filter(case_id=renovation.case_id).values_list(
            "submission__submitted_by_id", flat=True
        )
    )
    excluded = {household.helper_id if household else None, *senders}
    others = [worker for worker in workers if worker.pk not in excluded]
    return rng.choice(others) if others else None
