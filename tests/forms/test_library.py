"""The shipped forms publish cleanly and declare what the household merge relies on."""

import re
from xml.etree import ElementTree

import pytest

from backend.casework.village_review import PROBLEMS, VILLAGE_REVIEW_FORM
from forms.library import library_paths
from forms.services import Upload, form_publish

XF = "http://www.w3.org/2002/xforms"
JR = "http://openrosa.org/javarosa"
ORX = "http://openrosa.org/xforms"
FORM_IDS = ["hh_registration", "hh_visit", "housing_inspection", "village_review"]


@pytest.fixture
def published(project, alice):
    results = [
        form_publish(
            project=project, source=Upload(p.name, p.read_bytes()), published_by=alice
        ).version
        for p in library_paths()
    ]
    return {v.form.xml_form_id: v for v in results}


def saved_properties(version) -> set[str]:
    (decl,) = version.entities["declarations"]
    assert decl["dataset"] == "households"
    return set(decl["properties"].values())


def test_every_library_form_publishes_without_warnings(published):
    assert sorted(published) == FORM_IDS
    for version in published.values():
        assert version.warnings == []
        # yyyymmddnn: a changed form gets a higher version, which Collect needs to update it.
        assert re.fullmatch(r"20\d{8}", version.version), version.version
        if version.form.xml_form_id != "village_review":  # the one form about no household
            assert version.entities["spec_version"] == "2024.1.0"


def test_titles_are_bilingual(published):
    assert published["hh_visit"].form.title == "回头看入户走访 Periodic home visit"


def test_registration_creates_households_with_the_documented_properties(published):
    version = published["hh_registration"]
    (decl,) = version.entities["declarations"]

    assert (decl["create"], decl["update"]) == (True, False)
    assert {"hh_code", "head_name", "village", "geometry", "category", "hh_size"} <= (
        saved_properties(version)
    )
    # Raw ID numbers never reach the list that every phone downloads.
    assert not any("id" in prop.split("_") for prop in saved_properties(version))


@pytest.mark.parametrize("form_id", ["hh_visit", "housing_inspection"])
def test_update_forms_read_the_household_list_from_the_server(published, form_id):
    version = published[form_id]
    (decl,) = version.entities["declarations"]
    households = version.attachments.get(name="households.csv")

    assert (decl["create"], decl["update"]) == (False, True)
    assert households.entity_list == "households"
    assert [a.name for a in version.attachments.all()] == ["households.csv", "villages.csv"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_chooses_the_village_from_the_servers_village_list(published, form_id):
    (villages,) = published[form_id].attachments.filter(name="villages.csv")

    assert villages.generated == "villages"
    assert villages.is_present


def test_visit_updates_income_grade_and_last_visit(published):
    assert {"income_pc", "income_year", "house_grade", "last_visit", "hh_size"} <= (
        saved_properties(published["hh_visit"])
    )


def test_inspection_updates_grade_and_renovation_status(published):
    assert {"house_grade", "reno_status"} <= saved_properties(published["housing_inspection"])


def test_library_forms_use_camera_only_photos_and_metadata(published):
    for form_id, version in published.items():
        root = ElementTree.fromstring(version.xform)
        preloads = {b.get(f"{{{JR}}}preloadParams") for b in root.iter(f"{{{XF}}}bind")}
        photos = [u for u in root.iter(f"{{{XF}}}upload") if u.get("mediatype") == "image/*"]
        binds = {b.get("nodeset"): b for b in root.iter(f"{{{XF}}}bind")}

        assert {"start", "end", "deviceid"} <= preloads, form_id
        assert "/data/meta/audit" in binds, form_id
        assert photos, form_id
        for photo in photos:
            bind = binds[photo.get("ref")]
            assert bind.get(f"{{{ORX}}}max-pixels"), photo.get("ref")
            assert photo.get("appearance") in {"new", "signature"}, photo.get("ref")


def test_readme_documents_every_saved_property(published):
    readme = (library_paths()[0].parent / "README.md").read_text(encoding="utf-8")
    for version in published.values():
        if not version.entities.get("declarations"):
            continue  # the village review saves no household property
        for prop in saved_properties(version):
            assert f"`{prop}`" in readme, prop


def test_the_readme_names_each_forms_own_version(published):
    readme = (library_paths()[0].parent / "README.md").read_text(encoding="utf-8")
    # The table at the top, and each form's "Settings" line (which may wrap).
    table = re.findall(r"^\| `\w+\.md` \| `(\w+)` \| `(\d+)` \|", readme, re.MULTILINE)
    settings = re.findall(r"`form_id`\s+`(\w+)`,\s+`version`\s+`(\d+)`", readme)

    assert sorted(table) == sorted(settings)
    assert {form_id for form_id, _ in table} == set(published)
    for form_id, version in [*table, *settings]:
        assert published[form_id].version == version, form_id
    assert "All three have `version`" not in readme


def test_the_village_review_declares_no_entity_and_asks_each_problem(published):
    version = published[VILLAGE_REVIEW_FORM]
    root = ElementTree.fromstring(version.xform)
    binds = {b.get("nodeset") for b in root.iter(f"{{{XF}}}bind")}

    assert not version.entities.get("declarations")
    assert [a.name for a in version.attachments.all()] == ["villages.csv"]
    for problem in PROBLEMS:
        assert {f"/data/{problem.code}_problem", f"/data/{problem.code}_note"} <= binds
