"""Personal data: which answers and properties are personal, how each is masked, who may see it
unmasked, and the one function that records every look at it (docs/security.md, "Personal data").

Pages, the JSON API, exports and the phones' household list all use these rules; the SQL
renderings of the mask (`mask_sql`) write the same characters as `mask`.
"""

import ipaddress
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

from backend.accounts.access import Actor, project_role
from backend.accounts.models import DeviceToken, User
from backend.audit.models import AccessLog
from backend.projects.models import Project, Role


class Personal(StrEnum):
    ID_NUMBER = "id_number"
    PHONE = "phone"
    HEALTH = "health"  # health, illness and disability


# Keys are XML names: words joined by `_`, `-`, `.` or digits. A word must stand alone
# (`paid_now` holds no ID number, `hotel` no phone); health words may be part of a longer one
# (`has_serious_illness`, `m_disabled`). A key is judged by its last path segment.
_KINDS: tuple[tuple[Personal, re.Pattern[str]], ...] = (
    (
        Personal.ID_NUMBER,
        re.compile(r"(?<![a-z])(id_?no|id_?num(ber)?|id_?card(_?no)?|idcard)(?![a-z])"),
    ),
    (Personal.PHONE, re.compile(r"(?<![a-z])(phones?|tel|telephone|mobile)(?![a-z])")),
    (Personal.HEALTH, re.compile(r"health|illness|disab|disease|(?<![a-z])ill(?![a-z])")),
)
# ID and phone numbers keep this many trailing characters, enough to tell a household's apart
# from its neighbours'; shorter values than KEEP_FROM are hidden whole.
KEEP = 4
KEEP_FROM = 7
HIDDEN = "****"
# Roles that may see a record's personal data unmasked (a "reveal", always logged), on a record
# their area holds: the access functions decide that before these rules apply.
REVEAL_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def personal_kind(key: str) -> Personal | None:
    """What kind of personal data a fields key or property name holds, judged by its name."""
    name = key.rsplit("/", 1)[-1].lower()
    return next((kind for kind, pattern in _KINDS if pattern.search(name)), None)


def is_personal(key: str) -> bool:
    return personal_kind(key) is not None


def mask(kind: Personal, text: str) -> str:
    """The masked value: ID and phone numbers keep their last KEEP characters (the rest become
    `*`, so the length shows), health and disability answers are hidden whole."""
    if text == "":
        return ""
    if kind is Personal.HEALTH or len(text) < KEEP_FROM:
        return HIDDEN
    return "*" * (len(text) - KEEP) + text[-KEEP:]


def masked(key: str, value: object) -> object:
    """A value as shown until someone reveals it: masked when the key is personal."""
    kind = personal_kind(key)
    if kind is None or value is None or value == "":
        return value
    if isinstance(value, list):
        return [masked(key, item) for item in value]
    return mask(kind, str(value))


def hidden(key: str, text: str) -> str:
    """`mask` for a key known to be personal (an export's personal column)."""
    return mask(personal_kind(key) or Personal.HEALTH, text)


def masked_fields(fields: dict[str, object]) -> dict[str, object]:
    """A submission's answers with every personal one masked, repeats included."""
    return {key: _masked_answer(key, value) for key, value in fields.items()}


def _masked_answer(key: str, value: object) -> object:
    if isinstance(value, list) and all(isinstance(entry, dict) for entry in value):
        return [masked_fields(entry) for entry in value]  # a repeat: its entries' own keys
    return masked(key, value)


def mask_sql(kind: Personal, value: str, *, vendor: str) -> str:
    """`mask` as an SQL expression on the text expression `value` (PostgreSQL or SQLite).

    NULL and '' stay as they are. `value` may appear several times: pass a column or a cheap
    expression.
    """
    if kind is Personal.HEALTH:
        shown = f"'{HIDDEN}'"
    else:
        length = f"length({value})"
        if vendor == "postgresql":
            stars, tail = f"repeat('*', {length} - {KEEP})", f"right({value}, {KEEP})"
        else:  # SQLite has no repeat(): n zero bytes in hex are 2n zeros, two per star
            stars = f"replace(hex(zeroblob({length} - {KEEP})), '00', '*')"
            tail = f"substr({value}, -{KEEP})"
        shown = f"CASE WHEN {length} >= {KEEP_FROM} THEN {stars} || {tail} ELSE '{HIDDEN}' END"
    return f"(CASE WHEN {value} IS NULL OR {value} = '' THEN {value} ELSE {shown} END)"


def may_reveal(actor: Actor, project: Project) -> bool:
    """Whether the actor may see personal data unmasked on records the access functions give
    them: supervisors and admins. Unmasked exports are for admins only (exports/access.py)."""
    return project_role(actor, project) in REVEAL_ROLES


def access_log_record(
    *,
    user: User,
    project_id: int,
    kind: str,
    object_type: str,
    object_ids: Sequence[object],
    ip: str,
    detail: str = "",
    device: DeviceToken | None = None,
    count: int | None = None,
) -> list[AccessLog]:
    """Record one look at personal data: a row for each object, written in one insert (a page of
    an API list is one statement, not one per household). Needs no transaction of its own."""
    address = _valid_ip(ip)
    return AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            project_id=project_id,
            kind=kind,
            object_type=object_type,
            object_id=str(object_id)[:64],
            detail=detail[:255],
            ip=address,
            device=device,
            count=count,
        )
        for object_id in _unique(object_ids)
    )


def _unique(ids: Iterable[object]) -> list[object]:
    return list(dict.fromkeys(ids))


def _valid_ip(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None
