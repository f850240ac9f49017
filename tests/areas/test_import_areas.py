import json

import pytest
from django.core.management import CommandError, call_command

from backend.areas.models import Area, Level

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.7, 26.5], [106.8, 26.5], [106.8, 26.6], [106.7, 26.5]]],
}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}


def feature(code, name, level, parent=None, geometry=None):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent": parent},
        "geometry": geometry,
    }


def write(tmp_path, features):
    path = tmp_path / "areas.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


HIERARCHY = [
    feature("520100", "示例县", "county"),
    feature("520101", "示例镇", "township", "520100"),
    feature("520101001", "东坡村", "village", "520101", SQUARE),
    feature("520101001001", "一组", "group", "520101001"),
]


def test_imports_the_hierarchy_with_boundaries(tmp_path, db, capsys):
    call_command("import_areas", str(write(tmp_path, HIERARCHY)))

    village = Area.objects.get(code="520101001")
    assert (village.level, village.parent.code, village.boundary) == (
        Level.VILLAGE,
        "520101",
        SQUARE,
    )
    assert Area.objects.get(code="520101001001").parent == village
    assert "areas created: 4, updated: 0" in capsys.readouterr().out


def test_second_import_updates_in_place(tmp_path, db, capsys):
    call_command("import_areas", str(write(tmp_path, HIERARCHY)))
    renamed = [*HIERARCHY[:2], feature("520101001", "东坡新村", "village", "520101", SQUARE)]

    call_command("import_areas", str(write(tmp_path, renamed)))

    assert Area.objects.get(code="520101001").name == "东坡新村"
    assert Area.objects.count() == 4
    assert "created: 0, updated: 3" in capsys.readouterr().out


def test_bad_features_are_reported_and_nothing_is_imported(tmp_path, db, capsys):
    features = [
        feature("520100", "示例县", "county"),
        feature("v1", "坏村", "village", "520100", BOWTIE),
        feature("v2", "孤村", "village", "nope"),
        feature("", "无码", "village"),
        feature("x", "X", "city"),
    ]

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_areas", str(write(tmp_path, features)))

    err = capsys.readouterr().err
    assert "Feature 2: v1: bad boundary: invalid geometry: Self-intersection" in err
    assert "Feature 3 (v2): parent nope is not a known township" in err
    assert "Feature 4: code and name are required" in err
    assert "Feature 5: level must be one of" in err
    assert not Area.objects.exists()


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"type": "Feature"}'])
def test_files_that_are_not_collections_are_refused(tmp_path, db, content):
    path = tmp_path / "x.geojson"
    path.write_text(content)

    with pytest.raises(CommandError):
        call_command("import_areas", str(path))
