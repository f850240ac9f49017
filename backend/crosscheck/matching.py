"""The project's members' ID hashes as a department file is read against them: a sorted array of
the first 8 bytes of each hash, built once per file, tells which rows may name a member; only
those rows' hashes are looked up in the database.

Most rows of a department's file name people outside the registry (a county's households are a
fraction of the department's list), and an index lookup per row is what made a file slow: the
array answers them in memory (8 bytes a member: 16 MB for 2,000,000) and the database sees a
few dozen hashes per batch. A prefix is not a hash: the array alone matches no one."""

import sys
from array import array
from bisect import bisect_left

from django.db import connection
from django.db.models.functions import Substr

from backend.crosscheck.models import Member
from backend.projects.models import Project

# Hex digits of the stored hash kept in memory: 8 bytes.
_PREFIX = 16
_BUCKETS = 1 << 16
# Members read per round trip while the array is built on SQLite.
_CHUNK = 50_000


class MemberKeys:
    """Whether a hash may be one of the project's members' (the prefix is among theirs), and
    the members a batch of such hashes names."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._sorted = _prefixes(project)
        # Where the prefixes starting with each 16 bits begin: a lookup reads one bucket (about
        # 30 prefixes for 2,000,000 members) instead of bisecting the whole array.
        self._starts = array(
            "Q", (bisect_left(self._sorted, top << 48) for top in range(_BUCKETS + 1))
        )

    def __len__(self) -> int:
        return len(self._sorted)

    def may_hold(self, digest: bytes) -> bool:
        """The first 8 bytes of the hash's digest are those of a member's hash."""
        prefix = int.from_bytes(digest[:8], "big")
        top = prefix >> 48
        return prefix in self._sorted[self._starts[top] : self._starts[top + 1]]

    def members_with(self, hashes: list[str]) -> list[tuple[int, int, str, str]]:
        """(member, household, hash, status) of the project's members with one of the hashes."""
        if not hashes:
            return []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_MEMBERS_WITH, [self.project.pk, hashes])
                return list(cursor.fetchall())
        members = Member.objects.filter(household__project=self.project, id_hash__in=hashes)
        return list(members.values_list("pk", "household_id", "id_hash", "status"))


def _prefixes(project: Project) -> array:
    """The first 8 bytes of the project's members' hashes, as numbers, in order."""
    found = array("Q")
    if connection.vendor == "postgresql":
        # PostgreSQL sorts and joins them into a string per leading byte, so the process sees
        # 256 strings rather than a Python object per member.
        with connection.chunked_cursor() as cursor:
            cursor.execute(_PREFIXES, [project.pk])
            for (text,) in cursor:
                found.frombytes(bytes.fromhex(text))
        if sys.byteorder == "little":
            found.byteswap()  # the hex is big-endian
        return found
    prefixes = (
        Member.objects.filter(household__project=project)
        .exclude(id_hash="")
        .annotate(prefix=Substr("id_hash", 1, _PREFIX))
        .values_list("prefix", flat=True)
    )
    found.extend(sorted(int(prefix, 16) for prefix in prefixes.iterator(_CHUNK)))
    return found


# Hashes are lower-case hex: in the C collation their order is that of their numbers.
_PREFIXES = """
    SELECT string_agg(substr(m.id_hash, 1, 16), '' ORDER BY m.id_hash COLLATE "C")
    FROM crosscheck_member m JOIN households_household h ON h.id = m.household_id
    WHERE h.project_id = %s AND m.id_hash <> ''
    GROUP BY substr(m.id_hash, 1, 2) COLLATE "C"
    ORDER BY substr(m.id_hash, 1, 2) COLLATE "C"
"""
# On PostgreSQL the hashes travel as one array parameter: an IN list of many placeholders costs
# more to build and parse than the index lookups themselves.
_MEMBERS_WITH = """
    SELECT m.id, m.household_id, m.id_hash, m.status
    FROM crosscheck_member m JOIN households_household h ON h.id = m.household_id
    WHERE h.project_id = %s AND m.id_hash = ANY(%s)
"""
