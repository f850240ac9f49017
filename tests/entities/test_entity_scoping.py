"""A worker's phone gets the entities of their villages (and those placed in none), and may
update only those; supervisors see their areas' (docs/openrosa.md, "Other entity lists")."""

import csv
import io
import uuid

import pytest

from backend.areas.models import Area, Level
from backend.core.errors import NotFound
from backend.entities.access import access_entity_by_uuid, entities_for_actor
from backend.entities.models import Dataset, Entity
from backend.projects.models import Membership
from forms.services import Upload, form_publish
from tests.entities.trees import check_xml, publish, send
from tests.sync.conftest import body


@pytest.fixture
def west(village):
    return Area.objects.create(
        code="west", name="西河村", level=Level.VILLAGE, parent=village.parent
    )


@pytest.fixture
def trees(project, alice, village, west, bob, sam):
    versions = publish(project, alice, "plant", "check")
    Membership.objects.get(project=project, user=bob).areas.set([village])
    Membership.objects.get(project=project, user=sam).areas.set([west])
    dataset = Dataset.objects.get(project=project, name="trees")

    def make(label, area, creator=None):
        return Entity.objects.create(
            dataset=dataset,
            label=label,
            village=area,
            creator=creator,
            properties={"village": area.code if area else "", "height": "1"},
        )

    return {
        "check": versions["check"],
        "east": make("东坡 1", village),
        "west": make("西河 1", west),
        "bobs_west": make("西河 2", west, creator=bob),
        "nowhere": make("无村", None),
    }


def labels(queryset) -> set[str]:
    return set(queryset.values_list("label", flat=True))


def test_the_phone_gets_the_workers_villages_their_own_and_those_placed_nowhere(collect, trees):
    manifest = collect("get", f"forms/check/{trees['check'].md5}/manifest").content.decode()
    url = manifest.split("<downloadUrl>")[1].split("</downloadUrl>")[0]

    text = body(collect("get", url.removeprefix("http://testserver"))).decode()

    assert {row["label"] for row in csv.DictReader(io.StringIO(text))} == {
        "东坡 1",
        "西河 2",
        "无村",
    }


def test_supervisors_see_their_areas_and_the_unplaced(trees, sam, alice):
    dataset = trees["east"].dataset

    assert labels(entities_for_actor(actor=sam, dataset=dataset)) == {"西河 1", "西河 2", "无村"}
    assert labels(entities_for_actor(actor=alice, dataset=dataset)) == {
        "东坡 1",
        "西河 1",
        "西河 2",
        "无村",
    }


def test_outsiders_see_nothing(trees, mallory):
    dataset = trees["east"].dataset

    assert not entities_for_actor(actor=mallory, dataset=dataset).exists()
    with pytest.raises(NotFound):
        access_entity_by_uuid(mallory, dataset, str(trees["east"].uuid))


def test_integrity_leaves_out_entities_the_worker_cannot_see(collect, trees):
    east, west = str(trees["east"].uuid), str(trees["west"].uuid)

    response = collect("get", f"lists/trees/integrity?id={east},{west}")

    assert east in response.content.decode()
    assert west not in response.content.decode()


def test_a_worker_cannot_update_an_entity_outside_their_villages(collect, trees):
    west = trees["west"]

    submission = send(collect, check_xml(str(west.uuid), 1, height=9))

    west.refresh_from_db()
    assert west.version == 1
    [flag] = submission.flags.filter(code="entity_refused", state="open")
    assert "outside the sender's areas" in flag.evidence["reason"]


def test_a_worker_may_update_an_entity_they_created_elsewhere(collect, trees):
    mine = trees["bobs_west"]

    send(collect, check_xml(str(mine.uuid), 1, height=9))

    mine.refresh_from_db()
    assert (mine.version, mine.properties["height"]) == (2, "9")


WELL = """
| survey |
|        | type | name    | label   | save_to |
|        | text | village | Village |         |
|        | text | kind    | Kind    | kind    |
| entities |
|          | list_name    | label   |
|          | water_points | ${kind} |
| settings |
|          | form_id | version |
|          | well    | 1       |
"""


def test_an_entity_placed_by_no_property_takes_the_submissions_village(
    collect, project, alice, bob, sam, village, west
):
    form_publish(project=project, source=Upload("well.md", WELL.encode()), published_by=alice)
    Membership.objects.get(project=project, user=sam).areas.set([west])
    Membership.objects.get(project=project, user=bob).areas.set([village])
    point = str(uuid.uuid4())
    xml = (
        f'<data id="well" version="1"><village>demo-v01</village><kind>井</kind>'
        f"<meta><instanceID>uuid:{uuid.uuid4()}</instanceID>"
        f'<entity dataset="water_points" create="1" id="{point}"><label>井</label></entity>'
        "</meta></data>"
    ).encode()

    send(collect, xml)

    entity = Entity.objects.get(uuid=point)
    assert entity.village == village
    assert entity.properties == {"kind": "井"}
    assert labels(entities_for_actor(actor=bob, dataset=entity.dataset)) == {"井"}
    assert labels(entities_for_actor(actor=alice, dataset=entity.dataset)) == {"井"}
    assert not entities_for_actor(actor=sam, dataset=entity.dataset).exists()
