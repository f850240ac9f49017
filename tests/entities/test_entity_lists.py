"""A form with a second entity list (`trees`) creates and updates its entities through the
OpenRosa path, and phones get the list as Collect expects (docs/openrosa.md, "Other entity
lists")."""

import csv
import io
import uuid
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from backend.entities.models import Dataset, DatasetForm, Entity, EntityConflict
from backend.entities.services import entity_delete
from backend.households.models import Household
from backend.pipeline.tasks import process_submission
from forms.errors import FormInvalid
from forms.models import FormAttachment
from forms.services import Upload, form_publish
from tests.entities import trees as trees_form
from tests.entities.trees import check_xml, plant_xml, publish, send
from tests.sync.conftest import body

MANIFEST_NS = "{http://openrosa.org/xforms/xformsManifest}"


@pytest.fixture
def forms(project, alice, village):
    return publish(project, alice, "plant", "check")


def manifest(collect, version) -> dict[str, dict[str, str]]:
    response = collect("get", f"forms/{version.form.xml_form_id}/{version.md5}/manifest")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        m.findtext(f"{MANIFEST_NS}filename"): {
            "type": m.get("type"),
            "hash": m.findtext(f"{MANIFEST_NS}hash"),
            "downloadUrl": m.findtext(f"{MANIFEST_NS}downloadUrl"),
            "integrityUrl": m.findtext(f"{MANIFEST_NS}integrityUrl"),
        }
        for m in root.iter(f"{MANIFEST_NS}mediaFile")
    }


def rows(collect, version) -> list[dict[str, str]]:
    url = manifest(collect, version)["trees.csv"]["downloadUrl"]
    response = collect("get", url.removeprefix("http://testserver"))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def integrity(collect, *ids: str) -> dict[str, str]:
    response = collect("get", f"lists/trees/integrity?id={','.join(ids)}")
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    root = ElementTree.fromstring(response.content)
    return {e.get("id"): e.findtext("deleted") for e in root.iter("entity")}


def test_publishing_registers_the_list_its_properties_and_forms(forms, project):
    dataset = Dataset.objects.get(project=project, name="trees")

    assert list(dataset.properties.values_list("name", flat=True)) == [
        "village",
        "species",
        "height",
        "health",
    ]
    actions = {(f.form.xml_form_id, f.creates, f.updates) for f in DatasetForm.objects.all()}
    assert actions == {("plant", True, False), ("check", False, True)}
    attachment = FormAttachment.objects.get(form_version=forms["check"], name="trees.csv")
    assert attachment.entity_list == "trees"


def test_a_form_read_before_its_list_exists_reads_it_once_published(project, alice, village):
    read = publish(project, alice, "read")["read"]
    assert FormAttachment.objects.get(form_version=read, name="trees.csv").entity_list == ""

    publish(project, alice, "plant")

    assert FormAttachment.objects.get(form_version=read, name="trees.csv").entity_list == "trees"


def test_the_manifest_serves_the_list_as_an_entity_list(collect, forms):
    entry = manifest(collect, forms["check"])["trees.csv"]

    assert entry["type"] == "entityList"
    assert entry["integrityUrl"].startswith("http://testserver/key/")
    assert entry["integrityUrl"].endswith("/projects/demo/lists/trees/integrity")
    download = collect("get", entry["downloadUrl"].removeprefix("http://testserver"))
    assert entry["hash"] == "md5:" + download["ETag"].strip('"')
    assert body(download) == b"name,label,__version,village,species,height,health\n"
    cached = collect(
        "get",
        entry["downloadUrl"].removeprefix("http://testserver"),
        headers={"If-None-Match": download["ETag"]},
    )
    assert cached.status_code == 304


def test_a_submission_creates_and_another_updates_an_entity(collect, forms):
    tree = str(uuid.uuid4())
    before = manifest(collect, forms["check"])["trees.csv"]["hash"]

    send(collect, plant_xml(tree, height=3))
    created = Entity.objects.get(uuid=tree)
    send(collect, check_xml(tree, 1, height=4, health="good"))

    entity = Entity.objects.get(uuid=tree)
    assert (created.version, created.label, created.village.code) == (
        1,
        "银杏 demo-v01",
        "demo-v01",
    )
    assert entity.version == 2
    assert entity.properties == {
        "village": "demo-v01",
        "species": "银杏",
        "height": "4",
        "health": "good",
    }
    assert [v.version for v in entity.versions.all()] == [1, 2]
    assert entity.versions.get(version=2).received == {"height": "4", "health": "good"}
    assert rows(collect, forms["check"]) == [
        {
            "name": tree,
            "label": "银杏 demo-v01",
            "__version": "2",
            "village": "demo-v01",
            "species": "银杏",
            "height": "4",
            "health": "good",
        }
    ]
    assert manifest(collect, forms["check"])["trees.csv"]["hash"] != before


def test_processing_again_changes_nothing(collect, forms):
    tree = str(uuid.uuid4())
    planted = send(collect, plant_xml(tree))
    checked = send(collect, check_xml(tree, 1, height=5))

    process_submission.call(planted.pk)
    process_submission.call(checked.pk)
    # The phone sends the same submission again (its first answer was lost).
    send(collect, check_xml(tree, 1, height=5, instance=checked.instance_id))

    entity = Entity.objects.get(uuid=tree)
    assert entity.version == 2
    assert entity.versions.count() == 2


def test_an_edit_of_a_submission_does_not_update_again(collect, forms):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree))
    first = send(collect, check_xml(tree, 1, height=5))

    send(collect, check_xml(tree, 1, height=6, deprecated=first.instance_id))

    assert Entity.objects.get(uuid=tree).version == 2


def test_a_stale_update_of_the_same_property_is_a_hard_conflict_for_a_supervisor(collect, forms):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    send(collect, check_xml(tree, 1, height=4))

    late = send(collect, check_xml(tree, 1, height=9))

    entity = Entity.objects.get(uuid=tree)
    assert entity.version == 3
    assert entity.properties["height"] == "9"  # updates apply in arrival order
    assert entity.conflict == EntityConflict.HARD
    version = entity.versions.get(version=3)
    assert (version.base_version, version.conflicting_properties) == (1, ["height"])
    [flag] = late.flags.filter(code="entity_conflict", state="open")
    assert flag.evidence["properties"] == "height"
    assert flag.evidence["list"] == "trees"


def test_a_stale_update_of_other_properties_is_a_parallel_update(collect, forms):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    send(collect, check_xml(tree, 1, height=4))

    send(collect, check_xml(tree, 1, health="poor"))

    entity = Entity.objects.get(uuid=tree)
    assert entity.conflict == EntityConflict.SOFT
    assert entity.properties["height"] == "4"
    assert entity.properties["health"] == "poor"


def test_offline_updates_apply_in_their_branch_order(collect, forms):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    branch = str(uuid.uuid4())

    # The second offline update (phone version 2 → 3) arrives before the first (1 → 2).
    second = send(collect, check_xml(tree, 2, trunk=1, branch=branch, height=6))
    assert Entity.objects.get(uuid=tree).version == 1
    assert second.held_entity_updates.count() == 1
    send(collect, check_xml(tree, 1, trunk=1, branch=branch, height=5))

    entity = Entity.objects.get(uuid=tree)
    assert entity.version == 3
    assert entity.properties["height"] == "6"
    assert entity.conflict == EntityConflict.NONE
    assert second.held_entity_updates.count() == 0


def test_a_held_update_is_forced_through_with_a_conflict_mark(collect, forms):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    held = send(collect, check_xml(tree, 2, trunk=1, branch=str(uuid.uuid4()), height=6))

    process_submission.call(held.pk, force_held=True)

    entity = Entity.objects.get(uuid=tree)
    assert (entity.version, entity.conflict) == (2, EntityConflict.SOFT)


def test_integrity_reports_live_deleted_and_refused_entities(collect, forms, alice):
    live, gone, refused = (str(uuid.uuid4()) for _ in range(3))
    send(collect, plant_xml(live))
    send(collect, plant_xml(gone))
    submission = send(collect, plant_xml(refused, label=""))
    entity_delete(entity=Entity.objects.get(uuid=gone), actor=alice)

    unknown = str(uuid.uuid4())
    assert integrity(collect, live, gone, refused, unknown, "not-a-uuid") == {
        live: "false",
        gone: "true",
        refused: "true",
    }
    [flag] = submission.flags.filter(code="entity_refused", state="open")
    assert "needs a label" in flag.evidence["reason"]
    assert [r["name"] for r in rows(collect, forms["check"])] == [live]


def test_an_update_of_an_unknown_entity_is_refused_and_flagged(collect, forms):
    submission = send(collect, check_xml(str(uuid.uuid4()), 1, height=4))

    [flag] = submission.flags.filter(code="entity_refused", state="open")
    assert "does not exist" in flag.evidence["reason"]


def test_integrity_of_an_unknown_list_is_404(collect, forms):
    assert collect("get", f"lists/nothing/integrity?id={uuid.uuid4()}").status_code == 404


def test_the_household_list_is_unchanged_by_other_lists(collect, forms, visit, households):
    hh = manifest(collect, visit)["households.csv"]

    assert hh["type"] == "entityList"
    assert hh["integrityUrl"].endswith("/lists/households/integrity")
    assert not Dataset.objects.filter(name="households").exists()


YARD = """
| survey |
|        | type         | name    | label   | save_to              |
|        | text         | village | Village | households#village   |
|        | text         | head    | Head    | households#head_name |
|        | begin_repeat | trees   | Trees   |                      |
|        | text         | species | Species | trees#species        |
|        | integer      | height  | Height  | trees#height         |
|        | end_repeat   | trees   |         |                      |
| entities |
|          | list_name  | label      | repeat   |
|          | households | ${head}    |          |
|          | trees      | ${species} | ${trees} |
| settings |
|          | form_id | version |
|          | yard    | 1       |
"""


def test_one_form_registers_a_household_and_plants_trees_in_a_repeat(
    collect, project, alice, village
):
    form_publish(project=project, source=Upload("yard.md", YARD.encode()), published_by=alice)
    household, first, second = (str(uuid.uuid4()) for _ in range(3))
    trees = "".join(
        f"<trees><species>{species}</species><height>{height}</height><meta>"
        f'<entity dataset="trees" create="1" id="{tree}"><label>{species}</label></entity>'
        "</meta></trees>"
        for tree, species, height in ((first, "银杏", 3), (second, "松", 5))
    )
    xml = (
        f'<data id="yard" version="1"><village>demo-v01</village><head>王五</head>{trees}'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="households" create="1" id="{household}"><label>王五</label></entity>'
        "</meta></data>"
    ).encode()

    send(collect, xml)

    assert Household.objects.get(uuid=household).village == village
    planted = {str(e.uuid): (e.label, e.properties, e.village) for e in Entity.objects.all()}
    assert planted == {
        first: ("银杏", {"species": "银杏", "height": "3"}, village),
        second: ("松", {"species": "松", "height": "5"}, village),
    }


def test_a_list_named_like_a_list_the_server_writes_is_refused_at_publish(project, alice):
    source = trees_form.PLANT.replace("| trees     |", "| villages  |")

    with pytest.raises(FormInvalid, match="villages"):
        form_publish(project=project, source=Upload("p.md", source.encode()), published_by=alice)

    assert not Dataset.objects.exists()


def test_the_backlog_command_forces_a_held_tree_update_after_the_timeout(
    collect, forms, settings, capsys
):
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    held = send(collect, check_xml(tree, 2, trunk=1, branch=str(uuid.uuid4()), height=6))
    settings.HOUSEHOLD_BACKLOG_HOURS = 0

    call_command("process_household_backlog")

    entity = Entity.objects.get(uuid=tree)
    assert (entity.version, entity.properties["height"]) == (2, "6")
    assert entity.conflict == EntityConflict.SOFT
    assert not held.held_entity_updates.exists()
    assert "held offline updates applied: 1" in capsys.readouterr().out
