"""The members of a household, from the `members` repeat of the form that registered it (the
shipped registration form: forms/library/README.md): name, relationship, birth and the keyed hash
of the ID number. The raw number stays in the submission."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction

from backend.crosscheck.keys import id_hash, id_secret
from backend.crosscheck.models import Member
from backend.households.models import Household
from backend.submissions.models import Submission

# The repeat and the answers of the shipped registration form.
MEMBERS = "members"
_NAME, _RELATION, _BIRTH, _ID = "m_name", "m_rel", "m_birth", "m_idno"


@transaction.atomic
def members_record(
    *, household: Household, submission: Submission, entries: Sequence[Mapping[str, object]]
) -> int:
    """Make the household's members those the submission lists, in its order; a member whose
    ID is unchanged keeps the status a supervisor set (moved out, died). Return how many."""
    secret = id_secret()
    before = {member.position: member for member in household.members.all()}
    for position, entry in enumerate(entries, start=1):
        member = before.pop(position, None) or Member(household=household, position=position)
        new_hash = id_hash(entry.get(_ID), secret)
        if member.pk is not None and member.id_hash != new_hash:
            member.status = Member._meta.get_field("status").default
        member.name = str(entry.get(_NAME) or "")[:100]
        member.relation = str(entry.get(_RELATION) or "")[:40]
        member.birth = _date(entry.get(_BIRTH))
        member.id_hash, member.submission = new_hash, submission
        member.save()
    Member.objects.filter(pk__in=[member.pk for member in before.values()]).delete()
    return len(entries)


def member_entries(fields: Mapping[str, object]) -> list[Mapping[str, object]] | None:
    """The entries of the `members` repeat, or None when the form has no such repeat."""
    entries = fields.get(MEMBERS)
    if not isinstance(entries, list):
        return None
    return [entry for entry in entries if isinstance(entry, Mapping)]


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
