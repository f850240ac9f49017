"""Updates made offline (ODK Collect's branches): which server version an update builds on, and
whether someone else changed the record while the phone was away. The household registry and
the other entity lists keep their versions alike, so both read them here."""

from typing import Any, Protocol

from django.db.models import QuerySet


class EntityBlock(Protocol):
    """What a submission's `meta/entity` says of the versions it saw."""

    @property
    def base_version(self) -> str: ...
    @property
    def trunk_version(self) -> str: ...
    @property
    def branch_id(self) -> str: ...


class OfflineHeld(Exception):
    """The update follows an earlier one of its offline run that has not arrived yet."""


class UnknownBase(Exception):
    """The update names no version, or one the record never had (`base` is None for none)."""

    def __init__(self, base: int | None) -> None:
        super().__init__(base)
        self.base = base


def version_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def server_base(
    versions: QuerySet[Any], current: int, block: EntityBlock, *, force: bool
) -> tuple[int, bool]:
    """The server version the update builds on, and whether it was forced without it.

    Offline, the phone numbers versions itself: the first update of a branch builds on the trunk
    (a server version), each next one on its predecessor in the same branch.
    """
    base = version_number(block.base_version)
    if base is None:
        raise UnknownBase(None)
    trunk = version_number(block.trunk_version)
    if block.branch_id and trunk is not None and base > trunk:
        predecessor = versions.filter(
            branch_id=block.branch_id, branch_base_version=base - 1
        ).first()
        if predecessor is not None:
            return predecessor.version, False
        if not force:
            raise OfflineHeld
        return current, True
    if not 1 <= base <= current:
        raise UnknownBase(base)
    return base, False


def branch_interrupted(versions: QuerySet[Any], block: EntityBlock) -> bool:
    """Someone else changed the record since this phone's offline run began."""
    trunk = version_number(block.trunk_version)
    if not block.branch_id or trunk is None:
        return False
    return versions.filter(version__gt=trunk).exclude(branch_id=block.branch_id).exists()
