import ipaddress

from backend.accounts.models import User
from backend.audit.models import AccessLog
from backend.projects.models import Project


def access_log_record(
    *,
    user: User,
    project: Project,
    kind: str,
    object_type: str,
    object_id: object,
    ip: str,
    detail: str = "",
) -> AccessLog:
    """Record one access to personal data. One insert: it needs no transaction of its own."""
    return AccessLog.objects.create(
        user=user,
        project=project,
        kind=kind,
        object_type=object_type,
        object_id=str(object_id)[:64],
        detail=detail[:255],
        ip=_valid_ip(ip),
    )


def _valid_ip(ip: str) -> str | None:
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None
