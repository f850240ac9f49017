"""The size limit of an uploaded file, checked before its bytes are read or converted."""

from django.utils.translation import gettext as _

from backend.core.errors import DomainError


def refuse_oversized(
    *, name: str | None, size: int | None, limit: int, error: type[DomainError]
) -> None:
    """Raise `error`, naming the file and the limit in MB, when `size` bytes exceed `limit`;
    a size that is not known (None) is not refused."""
    if size is not None and size > limit:
        raise error(
            _("%(name)s is larger than the limit of %(mb)s MB.")
            % {"name": name, "mb": limit // (1024 * 1024)}
        )
