"""The JSON API and the pages of entity lists: scoped like the phones' lists, every look
logged, both languages."""

import uuid

import pytest
from django.test import Client

from backend.audit.models import AccessKind, AccessLog
from backend.entities.models import Entity, EntityConflict
from backend.projects.models import Membership
from tests.entities.trees import check_xml, plant_xml, publish, send


@pytest.fixture
def trees(project, alice, village, collect):
    publish(project, alice, "plant", "check")
    tree = str(uuid.uuid4())
    send(collect, plant_xml(tree, height=3))
    send(collect, check_xml(tree, 1, height=4))
    send(collect, check_xml(tree, 1, height=8))  # a hard conflict
    return Entity.objects.get(uuid=tree)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_supervisors_list_the_lists_with_their_forms_and_counts(trees, sam):
    response = client_for(sam).get("/api/v1/projects/demo/datasets")

    assert response.status_code == 200
    assert response.json() == [
        {
            "name": "trees",
            "properties": ["village", "species", "height", "health"],
            "creating_forms": ["plant"],
            "updating_forms": ["check"],
            "entities": 1,
            "conflicts": 1,
        }
    ]


def test_the_entities_of_a_list_are_listed_and_logged(trees, sam):
    response = client_for(sam).get("/api/v1/projects/demo/datasets/trees/entities")

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["id"] == str(trees.uuid)
    assert (item["version"], item["conflict"], item["village"]) == (3, "hard", "东坡村")
    assert item["properties"]["height"] == "8"
    assert AccessLog.objects.filter(
        kind=AccessKind.VIEW_ENTITY, object_id=str(trees.uuid), user=sam
    ).exists()


def test_a_supervisor_of_another_area_sees_no_entity_of_this_one(trees, sam, village):
    other = village.parent.children.create(code="x", name="X", level="village")
    Membership.objects.get(user=sam).areas.set([other])

    response = client_for(sam).get("/api/v1/projects/demo/datasets/trees/entities")

    assert response.json()["results"] == []


def test_workers_and_outsiders_are_refused(trees, bob, mallory):
    assert client_for(bob).get("/api/v1/projects/demo/datasets").status_code == 403
    assert client_for(mallory).get("/api/v1/projects/demo/datasets").status_code == 404
    unknown = client_for(bob).get("/api/v1/projects/demo/datasets/nothing/entities")
    assert unknown.status_code == 403


def test_an_unknown_list_or_entity_is_404(trees, sam):
    client = client_for(sam)

    assert client.get("/api/v1/projects/demo/datasets/nothing/entities").status_code == 404
    resolve = "/api/v1/projects/demo/datasets/trees/entities/not-a-uuid/resolve"
    assert client.post(resolve, {}, content_type="application/json").status_code == 404


def test_a_supervisor_marks_a_conflict_resolved(trees, sam):
    url = f"/api/v1/projects/demo/datasets/trees/entities/{trees.uuid}/resolve"

    response = client_for(sam).post(url, {"note": "量过了"}, content_type="application/json")

    assert response.status_code == 200
    trees.refresh_from_db()
    assert (trees.conflict, trees.conflict_note, trees.conflict_resolved_by) == (
        EntityConflict.NONE,
        "量过了",
        sam,
    )


def test_an_admin_deletes_an_entity_and_phones_are_told(trees, alice, sam, collect):
    url = f"/api/v1/projects/demo/datasets/trees/entities/{trees.uuid}"
    assert client_for(sam).delete(url).status_code == 403

    assert client_for(alice).delete(url).status_code == 204

    trees.refresh_from_db()
    assert trees.deleted_at is not None
    states = collect("get", f"lists/trees/integrity?id={trees.uuid}").content.decode()
    assert "<deleted>true</deleted>" in states


@pytest.mark.parametrize(("language", "heading"), [("en", "Entity lists"), ("zh-hans", "实体列表")])
def test_the_pages_show_the_lists_in_both_languages(trees, sam, language, heading):
    client = client_for(sam)
    headers = {"Accept-Language": language}

    lists = client.get("/p/demo/lists/", headers=headers)
    detail = client.get("/p/demo/lists/trees/", headers=headers)

    assert lists.status_code == 200
    assert heading in lists.content.decode()
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "银杏 demo-v01" in page
    assert "<th>height</th>" in page
    assert AccessLog.objects.filter(kind=AccessKind.VIEW_ENTITY, detail="list trees").exists()


def test_the_page_of_an_unknown_list_is_404(trees, sam, bob):
    assert client_for(sam).get("/p/demo/lists/nothing/").status_code == 404
    assert client_for(bob).get("/p/demo/lists/trees/").status_code == 403
