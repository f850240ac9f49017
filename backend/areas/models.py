from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.core.models import TimeStampedModel
from backend.geo.boundaries import BoundaryError, boundary_from_geojson


class Level(models.TextChoices):
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    GROUP = "group", _("Villager group")


# Each level's parent must be the level above it.
PARENT_LEVEL: dict[str, str | None] = {
    Level.COUNTY: None,
    Level.TOWNSHIP: Level.COUNTY,
    Level.VILLAGE: Level.TOWNSHIP,
    Level.GROUP: Level.VILLAGE,
}


class Area(TimeStampedModel):
    """A county, township, village or villager group; villages may carry a boundary polygon."""

    # The statistical division code (统计用区划代码) where there is one; any stable code otherwise.
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # A GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__in=Level.values), name="area_level"),
            models.CheckConstraint(
                condition=models.Q(level=Level.COUNTY, parent__isnull=True)
                | (~models.Q(level=Level.COUNTY) & models.Q(parent__isnull=False)),
                name="area_parent_unless_county",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = PARENT_LEVEL.get(self.level)
        if self.parent is not None and self.parent.level != expected:
            raise ValidationError(
                {"parent": _("The parent must be a %(level)s.") % {"level": expected}}
            )
        if self.boundary is not None:
            try:
                boundary_from_geojson(self.boundary)
            except BoundaryError as exc:
                raise ValidationError({"boundary": str(exc)}) from None
