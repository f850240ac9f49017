"""An area edited as a whole (the admin's form): what it changes on the households' lists."""

from django.db import transaction

from backend.areas.models import Area
from backend.households.derived import village_recoded


@transaction.atomic
def area_save(*, area: Area) -> Area:
    """Save an area edited as a whole (the admin's form), new or changed.

    The phones' household lists show each household's village code, so a village's new code is
    a change of its households' lines. Its name, boundary and parent are not on those lines (a
    moved area changes whose lists hold its households, which the lists see by themselves).
    """
    code_before = (
        Area.objects.filter(pk=area.pk).values_list("code", flat=True).first()
        if area.pk is not None
        else None
    )
    area.save()
    if code_before is not None and code_before != area.code:
        village_recoded(area.pk)
    return area
