from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from backend.audit.privacy import masked
from backend.flags.catalogue import flag_details_for_reader, flag_evidence_for_reader, flag_label
from backend.flags.models import Flag
from backend.flags.sentences import flag_sentence
from backend.households.models import Household, HouseholdVersion


class FlagOut(Schema):
    id: int
    code: str
    label: str
    # The evidence as a sentence in the reader's language, and what the flag is about within
    # its submission ("" for household rules). Evidence that names a submission or household the
    # reader may not see is told without its identifiers (backend/flags/selectors.py).
    details: str
    # The flag in one sentence in the reader's language: `details`, or for a rule without a
    # sentence of its own, the facts it read named by their labels (never by their keys).
    sentence: str
    subject: str
    severity: str
    state: str
    household: str | None
    evidence: dict[str, Any]
    opened_at: datetime
    closed_at: datetime | None
    note: str

    @staticmethod
    def resolve_label(flag: Flag) -> str:
        return flag_label(flag.code, flag.project_id)

    @staticmethod
    def resolve_details(flag: Flag) -> str:
        return flag_details_for_reader(flag)

    @staticmethod
    def resolve_sentence(flag: Flag) -> str:
        return flag_sentence(flag)

    @staticmethod
    def resolve_evidence(flag: Flag) -> dict[str, Any]:
        return flag_evidence_for_reader(flag)

    @staticmethod
    def resolve_household(flag: Flag) -> str | None:
        return str(flag.household.uuid) if flag.household else None

    @staticmethod
    def resolve_opened_at(flag: Flag) -> datetime:
        return flag.created_at


class HouseholdOut(Schema):
    id: str
    code: str
    label: str
    village: str
    village_name: str
    head_name: str
    category: str
    member_count: int | None
    income_per_capita: Decimal | None
    income_year: int | None
    house_grade: str
    latitude: float | None
    longitude: float | None
    last_visit_at: datetime | None
    version: int
    conflict: str
    open_flags: list[str]

    @staticmethod
    def resolve_id(household: Household) -> str:
        return str(household.uuid)

    @staticmethod
    def resolve_village(household: Household) -> str:
        return household.village.code

    @staticmethod
    def resolve_village_name(household: Household) -> str:
        return household.village.name

    @staticmethod
    def resolve_open_flags(household: Household) -> list[str]:
        # Read from a prefetch of the open flags (see `with_open_flags`).
        return sorted(f.code for f in household.flags.all())


class VersionOut(Schema):
    version: int
    label: str
    received: dict[str, Any]
    changes: dict[str, list[Any]]  # property -> [before, after]
    base_version: int | None
    conflict: str
    conflicting_properties: list[str]
    submission: str | None
    actor: str | None
    created_at: datetime


class HouseholdDetailOut(Schema):
    household: HouseholdOut
    properties: dict[str, Any]
    versions: list[VersionOut]
    flags: list[FlagOut]


def versions_out(versions: list[HouseholdVersion], *, reveal: bool) -> list[VersionOut]:
    """Each version with what it changed from the one before; personal values masked unless
    revealed."""

    def shown(key: str, value: object) -> object:
        return value if reveal else masked(key, value)

    out: list[VersionOut] = []
    before: dict[str, Any] = {}
    for version in versions:
        keys = sorted(before.keys() | version.data.keys())
        changes = {
            k: [shown(k, before.get(k)), shown(k, version.data.get(k))]
            for k in keys
            if before.get(k) != version.data.get(k)
        }
        out.append(
            VersionOut(
                version=version.version,
                label=version.label,
                received={k: shown(k, v) for k, v in (version.received or {}).items()},
                changes=changes,
                base_version=version.base_version,
                conflict=version.conflict,
                conflicting_properties=version.conflicting_properties,
                submission=version.submission.instance_id if version.submission else None,
                actor=version.actor.username if version.actor else None,
                created_at=version.created_at,
            )
        )
        before = version.data
    return out


class ResolveIn(Schema):
    note: str = ""


class ClearIn(Schema):
    note: str
