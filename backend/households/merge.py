"""Submissions change households by the ODK Entities rules (ENTITIES.md §2-3).

- create: a new household from the received properties; the label is required.
- update: received properties overwrite, absent ones are kept, a blank label keeps the old one.
  Updates always apply, in arrival order; one based on an older version marks a conflict:
  soft when different properties changed, hard when the same ones changed differently.
- Every change is a HouseholdVersion naming its submission. A submission (or any edit of it)
  changes a household once: merging again changes nothing.
"""

import uuid
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backend.households.models import HOUSEHOLD_LIST, Conflict, Household, HouseholdVersion
from backend.households.properties import apply_properties
from backend.submissions.models import Submission
from backend.submissions.xml import Instance

_TRUE = {"1", "true"}


class MergeError(Exception):
    """The submission cannot change the household list; the message says why."""


@dataclass(frozen=True)
class EntityBlock:
    """One `meta/entity` of a submission, with the properties it saves."""

    entity_id: str
    create: bool
    update: bool
    base_version: str
    label: str
    received: dict[str, str]


def households_merge(*, submission: Submission, instance: Instance) -> list[HouseholdVersion]:
    """Apply the submission's household blocks; raise MergeError with the reason if one fails."""
    declarations = submission.form_version.entities.get("declarations", [])
    blocks = [
        _block(instance, decl) for decl in declarations if decl.get("dataset") == HOUSEHOLD_LIST
    ]
    return [v for block in blocks if (v := _merge(submission, block)) is not None]


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


def _merge(submission: Submission, block: EntityBlock) -> HouseholdVersion | None:
    if not (block.create or block.update):
        return None
    with transaction.atomic():
        household = (
            Household.objects.select_for_update()
            .filter(project_id=submission.project_id, uuid=block.entity_id)
            .first()
        )
        if household is not None and _already_applied(household, submission):
            return None
        if block.update and household is not None:
            return _update(household, submission, block)
        if block.create and household is None:
            return _create(submission, block)
        if household is None:
            raise MergeError(_("The household %(id)s does not exist.") % {"id": block.entity_id})
        raise MergeError(_("The household %(id)s already exists.") % {"id": block.entity_id})


def _already_applied(household: Household, submission: Submission) -> bool:
    """Whether this submission, or an earlier version of it, already changed the household."""
    chain = []
    current: Submission | None = submission
    while current is not None:
        chain.append(current.pk)
        current = current.supersedes
    return household.versions.filter(submission_id__in=chain).exists()


def _create(submission: Submission, block: EntityBlock) -> HouseholdVersion:
    if not block.label:
        raise MergeError(_("A new household needs a label."))
    household = Household(
        project_id=submission.project_id,
        uuid=block.entity_id,
        code=(block.received.get("hh_code") or block.entity_id[:8])[:64],
        label=block.label[:255],
        helper=submission.submitted_by,
        properties=dict(block.received),
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
    return _record(household, submission, block, base=None, conflict=Conflict.NONE, conflicting=[])


def _update(household: Household, submission: Submission, block: EntityBlock) -> HouseholdVersion:
    base = _base_version(block, household)
    conflict, conflicting = _conflict(household, base, block)
    household.properties = {**household.properties, **block.received}
    if block.label:
        household.label = block.label[:255]
    household.version += 1
    if conflict == Conflict.HARD or (
        conflict == Conflict.SOFT and household.conflict != Conflict.HARD
    ):
        household.conflict = conflict  # a hard conflict is never downgraded
    apply_properties(household, block.received)
    household.save()
    return _record(
        household, submission, block, base=base, conflict=conflict, conflicting=conflicting
    )


def _base_version(block: EntityBlock, household: Household) -> int:
    try:
        base = int(block.base_version)
    except ValueError:
        raise MergeError(_("The update does not say which version it is based on.")) from None
    if not 1 <= base <= household.version:
        raise MergeError(
            _("The update is based on version %(base)s, which this household never had.")
            % {"base": base}
        )
    return base


def _conflict(household: Household, base: int, block: EntityBlock) -> tuple[str, list[str]]:
    """Compare with the version the phone saw; the server's changes since then decide."""
    if base == household.version:
        return Conflict.NONE, []
    seen = household.versions.filter(version=base).first()
    before = {**(seen.data if seen else {}), "__label": seen.label if seen else ""}
    now = {**household.properties, "__label": household.label}
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    received = {**block.received, **({"__label": block.label} if block.label else {})}
    conflicting = sorted(
        key for key, value in received.items() if key in changed and value != now.get(key)
    )
    return (Conflict.HARD if conflicting else Conflict.SOFT), [
        key.replace("__label", "label") for key in conflicting
    ]


def _record(
    household: Household,
    submission: Submission,
    block: EntityBlock,
    *,
    base: int | None,
    conflict: str,
    conflicting: list[str],
) -> HouseholdVersion:
    return HouseholdVersion.objects.create(
        household=household,
        version=household.version,
        label=household.label,
        data=household.properties,
        received=block.received,
        base_version=base,
        conflict=conflict,
        conflicting_properties=conflicting,
        submission=submission,
        actor=submission.submitted_by,
    )
