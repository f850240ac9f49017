"""Submissions change households by the ODK Entities rules (docs/households.md, "How
submissions change households").

- create: a new household from the received properties; the label is required.
- update: received properties overwrite, absent ones are kept, a blank label keeps the old one.
  Updates always apply, in arrival order; one based on an older version marks a conflict:
  soft when different properties changed, hard when the same ones changed differently.
- Every change is a HouseholdVersion naming its submission. A submission (or any edit of it)
  changes a household once: merging again changes nothing.
- Offline updates (branchId / trunkVersion) apply in their branch's order: one whose predecessor
  has not arrived is held, released when the predecessor applies, and forced through (with a
  conflict mark) once it has waited HOUSEHOLD_BACKLOG_HOURS.
"""

import dataclasses
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.core.compiled import insert_of_one_row
from backend.core.compiled_select import CompiledSelect
from backend.entities.offline import (
    OfflineHeld,
    UnknownBase,
    branch_interrupted,
    server_base,
    version_number,
)
from backend.households.derived import HouseholdBefore, household_before, household_written
from backend.households.models import (
    Conflict,
    HeldUpdate,
    Household,
    HouseholdVersion,
    RefusedHousehold,
)
from backend.households.properties import apply_properties, as_stored
from backend.households.renovation import (
    RefusedAcceptance,
    acceptance_refusal,
    without_acceptance,
)
from backend.submissions.models import ReviewState, Submission
from backend.submissions.xml import Instance
from forms.entity_lists import HOUSEHOLD_LIST

_TRUE = {"1", "true"}
# Properties only a case changes once the household is registered (services.py,
# household_status_record).
CASE_PROPERTIES = frozenset({"category", "included_on", "risk_eliminated_on"})


class MergeError(Exception):
    """The submission cannot change the household list; the message says why."""


class _OutOfScope(Exception):
    def __init__(self, household: Household) -> None:
        super().__init__(str(household.uuid))
        self.household = household


# Whether the submission's sender may change this household (households/access.py).
MayUpdate = Callable[[Household], bool]


@dataclass
class MergeResult:
    versions: list[HouseholdVersion]
    held: bool = False
    # Held submissions whose predecessor has just been applied: process them next.
    released: list[int] = dataclasses.field(default_factory=list)
    # Households the submission would have updated, outside its sender's scope: left unchanged.
    out_of_scope: list[Household] = dataclasses.field(default_factory=list)
    # Renovation acceptances not applied (backend/households/renovation.py).
    refused_acceptances: list[RefusedAcceptance] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class EntityBlock:
    """One `meta/entity` of a submission, with the properties it saves."""

    entity_id: str
    create: bool
    update: bool
    base_version: str
    trunk_version: str
    branch_id: str
    label: str
    received: dict[str, str]


def households_merge(
    *, submission: Submission, instance: Instance, may_update: MayUpdate, force: bool = False
) -> MergeResult:
    """Apply the submission's household blocks; raise MergeError with the reason if one fails
    (then none of its blocks is applied, and the households it would have created are kept as
    refused, so the phones that created them offline drop them).

    An update of a household `may_update` refuses is not applied: the household is listed in
    the result instead. `force` applies a held offline update even though its predecessor never
    came.
    """
    declarations = submission.form_version.entities.get("declarations", [])
    blocks = [
        _block(instance, decl) for decl in declarations if decl.get("dataset") == HOUSEHOLD_LIST
    ]
    try:
        return _merge(submission, blocks, may_update=may_update, force=force)
    except MergeError:
        _refused_record(submission, blocks)
        raise


@transaction.atomic
def _merge(
    submission: Submission, blocks: list[EntityBlock], *, may_update: MayUpdate, force: bool
) -> MergeResult:
    result = MergeResult(versions=[])
    for block in blocks:
        try:
            version = _apply_block(
                submission, block, may_update=may_update, force=force, result=result
            )
        except OfflineHeld:
            _hold(submission, block)
            result.held = True
            continue
        except _OutOfScope as refused:
            result.out_of_scope.append(refused.household)
            continue
        if version is not None:
            result.versions.append(version)
            result.released += _successors(version)
    # Only an offline update (with a branch) is ever held: others have nothing to clear.
    if not result.held and any(block.branch_id for block in blocks):
        HeldUpdate.objects.filter(submission=submission).delete()
    return result


def _refused_record(submission: Submission, blocks: list[EntityBlock]) -> None:
    """Keep the ids of the households this refused submission would have created, for the
    list's integrity check (lists.py). None while a supervisor's approval is awaited: phones do
    not create households offline then."""
    wanted = [block.entity_id for block in blocks if block.create]
    if not wanted or _awaits_approval(submission):
        return
    existing = {
        str(u) for u in Household.objects.filter(uuid__in=wanted).values_list("uuid", flat=True)
    }
    for entity_id in wanted:
        if entity_id not in existing:
            RefusedHousehold.objects.get_or_create(
                project_id=submission.project_id,
                uuid=entity_id,
                defaults={"submission": submission},
            )


def entity_blocks(*, submission: Submission, instance: Instance) -> list[EntityBlock]:
    """The submission's household blocks, whether or not they create or update anything (a
    visit that met nobody names its household without updating it); none when they cannot be
    read."""
    declarations = submission.form_version.entities.get("declarations", [])
    try:
        return [
            _block(instance, decl) for decl in declarations if decl.get("dataset") == HOUSEHOLD_LIST
        ]
    except MergeError:
        return []


def villages_to_create(*, submission: Submission, instance: Instance) -> list[str]:
    """The village codes of the households the submission would create (an approval decides
    whether they are), in the order of its blocks."""
    blocks = entity_blocks(submission=submission, instance=instance)
    return [block.received.get("village", "") for block in blocks if block.create]


def _block(instance: Instance, declaration: dict[str, object]) -> EntityBlock:
    path = str(declaration["path"])
    entity = next(iter(instance.elements_at(f"{path}/meta/entity")), None)
    if entity is None:
        raise MergeError(_("The submission has no household block (meta/entity)."))
    received: dict[str, str] = {}
    for field, prop in dict(declaration.get("properties", {})).items():  # type: ignore[call-overload]
        # A field the phone left out (not relevant) keeps the old value; a blank one blanks it.
        texts = instance.texts_at(field)
        if texts:
            received[prop] = texts[0]
    return EntityBlock(
        entity_id=_entity_id(entity.get("id", "")),
        create=entity.get("create", "").strip().lower() in _TRUE,
        update=entity.get("update", "").strip().lower() in _TRUE,
        base_version=entity.get("baseVersion", "").strip(),
        trunk_version=entity.get("trunkVersion", "").strip(),
        branch_id=entity.get("branchId", "").strip()[:36],
        label=_label(entity),
        received=received,
    )


def _entity_id(raw: str) -> str:
    value = raw.strip().lower().removeprefix("uuid:")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise MergeError(_("The household id %(id)s is not a UUID.") % {"id": raw}) from None


def _label(entity: Element) -> str:
    label = next((c for c in entity if c.tag.rsplit("}", 1)[-1] == "label"), None)
    return (label.text or "").strip() if label is not None else ""


def _apply_block(
    submission: Submission,
    block: EntityBlock,
    *,
    may_update: MayUpdate,
    force: bool,
    result: MergeResult,
) -> HouseholdVersion | None:
    if not (block.create or block.update):
        return None
    household = (
        Household.objects.select_for_update()
        .filter(project_id=submission.project_id, uuid=block.entity_id)
        .first()
    )
    if household is not None:
        household.project = submission.project  # the rules read its settings: no second read
        if _already_applied(household, submission):
            return None
    if block.update and household is not None:
        if not may_update(household):
            raise _OutOfScope(household)
        return _update(household, submission, block, force=force, result=result)
    if block.create and household is None:
        if _awaits_approval(submission):
            return None  # created when a supervisor approves (submission_review)
        return _create(submission, block)
    if household is None:
        raise MergeError(_("The household %(id)s does not exist.") % {"id": block.entity_id})
    raise MergeError(_("The household %(id)s already exists.") % {"id": block.entity_id})


def _awaits_approval(submission: Submission) -> bool:
    return (
        submission.project.household_creation_needs_approval
        and submission.review_state != ReviewState.APPROVED
    )


def _already_applied(household: Household, submission: Submission) -> bool:
    """Whether this submission, or an earlier version of it, already changed the household."""
    chain = []
    current: Submission | None = submission
    while current is not None:
        chain.append(current.pk)
        current = current.supersedes
    return bool(_APPLIED.rows(household.pk, chain))


# Asked on every visit: compiled once per length of the chain of edits (core/compiled_select.py).
_APPLIED = CompiledSelect(
    lambda household_id, submission_ids: HouseholdVersion.objects.filter(
        household_id=household_id, submission_id__in=submission_ids
    ).values_list("pk", flat=True)[:1]
)


def _create(submission: Submission, block: EntityBlock) -> HouseholdVersion:
    if not block.label:
        raise MergeError(_("A new household needs a label."))
    household = Household(
        project=submission.project,
        uuid=block.entity_id,
        code=(block.received.get("hh_code") or block.entity_id[:8])[:64],
        label=block.label[:255],
        helper_id=submission.submitted_by_id,
        properties=as_stored(block.received),
    )
    apply_properties(household, block.received)
    if household.village_id is None:
        raise MergeError(_("The household's village is missing or unknown."))
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError:
        raise MergeError(
            _("Household code %(code)s is already used.") % {"code": household.code}
        ) from None
    return _version_record(
        household,
        submission,
        block,
        before=None,
        base=None,
        conflict=Conflict.NONE,
        conflicting=[],
    )


def _update(
    household: Household,
    submission: Submission,
    block: EntityBlock,
    *,
    force: bool,
    result: MergeResult,
) -> HouseholdVersion:
    base, forced = _server_base(household, block, force=force)
    before = household_before(household)
    conflict, conflicting = _conflict(household, base, block)
    if conflict == Conflict.NONE and (forced or _branch_interrupted(household, block)):
        conflict = Conflict.SOFT
    applied = block.received
    refusal = acceptance_refusal(household, submission.submitted_by_id, block.received)
    if refusal is not None:
        applied = without_acceptance(block.received)
        result.refused_acceptances.append(RefusedAcceptance(household, refusal))
    # A registered household's category changes only through an approved case
    # (backend/casework): an update keeps what it sent in `received`, not in the household.
    applied = {key: value for key, value in applied.items() if key not in CASE_PROPERTIES}
    household.properties = {**household.properties, **as_stored(applied)}
    if block.label:
        household.label = block.label[:255]
    household.version += 1
    if conflict == Conflict.HARD or (
        conflict == Conflict.SOFT and household.conflict != Conflict.HARD
    ):
        household.conflict = conflict  # a hard conflict is never downgraded
    apply_properties(household, applied)
    household.save()
    return _version_record(
        household,
        submission,
        block,
        before=before,
        base=base,
        conflict=conflict,
        conflicting=conflicting,
    )


def _server_base(household: Household, block: EntityBlock, *, force: bool) -> tuple[int, bool]:
    try:
        return server_base(household.versions.all(), household.version, block, force=force)
    except UnknownBase as exc:
        if exc.base is None:
            raise MergeError(_("The update does not say which version it is based on.")) from exc
        raise MergeError(
            _("The update is based on version %(base)s, which this household never had.")
            % {"base": exc.base}
        ) from exc


def _branch_interrupted(household: Household, block: EntityBlock) -> bool:
    return branch_interrupted(household.versions.all(), block)


def _hold(submission: Submission, block: EntityBlock) -> None:
    HeldUpdate.objects.get_or_create(
        submission=submission,
        defaults={
            "household_uuid": block.entity_id,
            "branch_id": block.branch_id,
            "branch_base_version": version_number(block.base_version) or 0,
        },
    )


def _successors(version: HouseholdVersion) -> list[int]:
    if not version.branch_id or version.branch_base_version is None:
        return []
    waiting = HeldUpdate.objects.filter(
        branch_id=version.branch_id, branch_base_version=version.branch_base_version + 1
    )
    return list(waiting.values_list("submission_id", flat=True))


def _conflict(household: Household, base: int, block: EntityBlock) -> tuple[str, list[str]]:
    """Compare with the version the phone saw; the server's changes since then decide."""
    if base == household.version:
        return Conflict.NONE, []
    seen = household.versions.filter(version=base).first()
    before = {**(seen.data if seen else {}), "__label": seen.label if seen else ""}
    now = {**household.properties, "__label": household.label}
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    received = {**as_stored(block.received), **({"__label": block.label} if block.label else {})}
    conflicting = sorted(
        key for key, value in received.items() if key in changed and value != now.get(key)
    )
    return (Conflict.HARD if conflicting else Conflict.SOFT), [
        key.replace("__label", "label") for key in conflicting
    ]


def _version_record(
    household: Household,
    submission: Submission,
    block: EntityBlock,
    *,
    before: HouseholdBefore | None,
    base: int | None,
    conflict: str,
    conflicting: list[str],
) -> HouseholdVersion:
    """The version the submission made; `received` keeps what the phone sent, `data` what the
    household holds after it."""
    household_written(household, before=before)
    if submission.village_id is None:
        # The submission belongs to the village of the first household it changed.
        submission.village_id = household.village_id
        Submission.objects.filter(pk=submission.pk).update(village_id=household.village_id)
    version = HouseholdVersion(
        household=household,
        version=household.version,
        label=household.label,
        data=household.properties,
        received=block.received,
        base_version=base,
        branch_id=block.branch_id,
        trunk_version=version_number(block.trunk_version),
        branch_base_version=version_number(block.base_version),
        conflict=conflict,
        conflicting_properties=conflicting,
        submission=submission,
        actor_id=submission.submitted_by_id,
    )
    # Written on every visit, and nothing listens to its saves: an INSERT compiled once.
    insert_of_one_row(HouseholdVersion).run(version)
    return version
