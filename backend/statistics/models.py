from django.db import models
from django.utils.translation import gettext_lazy as _


class VillagePopulation(models.Model):
    """A village's registered rural population in a year: the base of its poverty incidence
    (贫困发生率, seed 001), entered by the county from the household register."""

    village = models.ForeignKey(
        "areas.Area", on_delete=models.CASCADE, related_name="+", verbose_name=_("village")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("registered rural population"))

    class Meta:
        verbose_name = _("village population")
        verbose_name_plural = _("village populations")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_population_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="village_population_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}: {self.population}"
