"""The project's households generation: bumped by every write of a household, so that what is
kept about the phones' household lists (their tokens, list_tokens.py) goes stale at once."""

from backend.core.cache import bump_with_transaction


def households_generation(project_id: int) -> str:
    return f"households:{project_id}"


def household_lists_changed(project_id: int) -> None:
    """Make the project's kept tokens stale (now and at the commit)."""
    bump_with_transaction(households_generation(project_id))


def household_saved_or_deleted(instance: object, **_signal: object) -> None:
    """post_save and post_delete of a household, by whatever door."""
    project_id = getattr(instance, "project_id", None)
    if project_id is not None:
        household_lists_changed(project_id)
