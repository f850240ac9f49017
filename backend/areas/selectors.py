"""Reads of the area tree that the pages show."""

from django.db.models import Count

from backend.areas.models import Area


def area_counts_by_level() -> dict[str, int]:
    """How many areas each level holds (levels without any are left out)."""
    return dict(Area.objects.values_list("level").annotate(n=Count("id")).order_by())
