import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from backend.areas.models import Area, Level
from tests.factories import AreaFactory

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.7, 26.5], [106.8, 26.5], [106.8, 26.6], [106.7, 26.5]]],
}


@pytest.fixture
def township(db):
    county = AreaFactory(code="c1", level=Level.COUNTY)
    return AreaFactory(code="t1", level=Level.TOWNSHIP, parent=county)


def test_village_under_township_with_boundary_is_valid(township):
    village = Area(code="v1", name="V", level=Level.VILLAGE, parent=township, boundary=SQUARE)

    village.full_clean()


def test_parent_must_be_the_level_above(township):
    group = Area(code="g1", name="G", level=Level.GROUP, parent=township)

    with pytest.raises(ValidationError, match="parent"):
        group.full_clean()


def test_bad_boundary_is_a_validation_error(township):
    village = Area(
        code="v1",
        name="V",
        level=Level.VILLAGE,
        parent=township,
        boundary={"type": "Point", "coordinates": [1, 2]},
    )

    with pytest.raises(ValidationError, match="boundary"):
        village.full_clean()


def test_database_refuses_a_village_without_parent(db):
    with pytest.raises(IntegrityError):
        Area.objects.create(code="v9", name="Orphan", level=Level.VILLAGE)
