"""The entity lists other than the households in the merge stage: read the submission's blocks
for them, apply them (backend/entities/merge.py), and tell a supervisor of what was refused and
of the conflicts, as flags on the submission."""

from collections.abc import Mapping, Sequence
from xml.etree.ElementTree import Element

from backend.entities.merge import EntityBlock, MergeResult, Source, entities_merge
from backend.flags.services import Finding, subject_flags_reconcile
from backend.submissions.models import Submission
from backend.submissions.xml import Instance
from forms.entity_lists import HOUSEHOLD_LIST

_TRUE = {"1", "true"}
ENTITY_REFUSED = "entity_refused"
ENTITY_CONFLICT = "entity_conflict"


def entity_lists_merge(*, submission: Submission, instance: Instance, force: bool) -> MergeResult:
    """Apply the submission's blocks for lists other than the households; report refusals and
    conflicts on the submission (a later run that applies them closes the refusal flags)."""
    declarations = submission.form_version.entities.get("declarations", [])
    blocks = entity_blocks(instance, declarations)
    if not blocks:
        return MergeResult()
    source = Source(
        submission_id=submission.pk,
        chain=_chain(submission),
        project_id=submission.project_id,
        actor=submission.submitted_by,
        village_id=submission.village_id,
        force=force,
    )
    result = entities_merge(source=source, blocks=blocks)
    _report(submission, result)
    return result


def entity_blocks(
    instance: Instance, declarations: Sequence[Mapping[str, object]]
) -> list[EntityBlock]:
    """One block per `meta/entity` of a list other than the households: one per repeat
    instance when the declaration sits in a repeat. A submission may act only as its form
    version declares (a create in a form that only updates is no create)."""
    blocks = []
    for decl in declarations:
        if decl.get("dataset") in (HOUSEHOLD_LIST, None, ""):
            continue
        path = str(decl.get("path", ""))
        for container in instance.elements_at(path):
            entity = _descendant(container, ["meta", "entity"])
            if entity is not None:
                blocks.append(_block(decl, path, container, entity))
    return blocks


def _block(
    decl: Mapping[str, object], path: str, container: Element, entity: Element
) -> EntityBlock:
    received: dict[str, str] = {}
    for field, prop in dict(decl.get("properties", {}) or {}).items():  # type: ignore[call-overload]
        # A field the phone left out (not relevant) keeps the old value; a blank one blanks it.
        node = _descendant(container, field.removeprefix(f"{path}/").split("/"))
        if node is not None:
            received[str(prop)] = (node.text or "").strip()
    label = _descendant(entity, ["label"])
    return EntityBlock(
        dataset=str(decl["dataset"]),
        entity_id=entity.get("id", ""),
        create=bool(decl.get("create")) and _truthy(entity.get("create")),
        update=bool(decl.get("update")) and _truthy(entity.get("update")),
        base_version=entity.get("baseVersion", "").strip(),
        trunk_version=entity.get("trunkVersion", "").strip(),
        branch_id=entity.get("branchId", "").strip()[:36],
        label=(label.text or "").strip() if label is not None else "",
        received=received,
    )


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _descendant(element: Element, steps: list[str]) -> Element | None:
    node: Element | None = element
    for step in steps:
        node = next((c for c in node if c.tag.rsplit("}", 1)[-1] == step), None) if node else None
    return node


def _chain(submission: Submission) -> tuple[int, ...]:
    """The submission and every earlier version of it."""
    chain = []
    current: Submission | None = submission
    while current is not None:
        chain.append(current.pk)
        current = current.supersedes
    return tuple(chain)


def _report(submission: Submission, result: MergeResult) -> None:
    refused = [
        Finding(
            ENTITY_REFUSED,
            f"s{submission.pk}/entity/{r.dataset}/{r.entity_id}"[:300],
            {"list": r.dataset, "reason": r.reason},
        )
        for r in result.refused
    ]
    subject_flags_reconcile(
        submission=submission, household=None, codes=[ENTITY_REFUSED], findings=refused
    )
    conflicts = [
        Finding(
            ENTITY_CONFLICT,
            f"s{submission.pk}/entity/{v.entity.dataset.name}/{v.entity.uuid}",
            {
                "list": v.entity.dataset.name,
                "label": v.label,
                "base": v.base_version,
                "current": v.version - 1,
                "properties": ", ".join(v.conflicting_properties) or "-",
            },
        )
        for v in result.conflicts
    ]
    if conflicts:
        # Only opened: a run again finds the versions already made and reports none, which
        # must not close the flags of the conflicts found before (so no codes to reconcile).
        subject_flags_reconcile(submission=submission, household=None, codes=[], findings=conflicts)
