"""What the steps of one submission read and write, typed (backend/pipeline/steps.py)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from backend.households.merge import MergeResult
from backend.submissions.models import Submission
from backend.submissions.xml import Instance


@dataclass
class Visit:
    """One submission as the steps pass it on: each step reads what the earlier ones wrote."""

    submission: Submission
    # The parsed XML; None when it is encrypted or no longer parses (then only the submission's
    # own columns change).
    instance: Instance | None
    force_held: bool = False
    # answers: the typed answers of the form's fields.
    fields: Mapping[str, object] = field(default_factory=dict)
    # household: what the merge did, and why the household list refused it ("" when it did not).
    merged: MergeResult | None = None
    entity_error: str = ""
    # household: held offline updates this one released, to be processed next.
    released: list[int] = field(default_factory=list)
    # rules: the codes of the flags the rules closed naming this visit, by household id.
    closed: dict[int, list[str]] = field(default_factory=dict)
