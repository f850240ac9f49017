from django.urls import reverse

from backend.areas.models import Area, Level
from tests.api.conftest import SQUARE, api
from tests.factories import ProjectFactory


def test_projects_lists_mine_with_role_and_areas(bob, sam_in_east, alice):
    ProjectFactory(slug="other")

    mine = api(sam_in_east).get(reverse("api:list_projects")).json()

    assert [p["slug"] for p in mine] == ["demo"]
    assert mine[0]["role"] == "supervisor"
    assert mine[0]["areas"] == [{"code": "demo-v01", "name": "东坡村", "level": "village"}]
    assert api(bob).get(reverse("api:list_projects")).json()[0]["role"] == "collector"


def test_a_superuser_sees_every_project_as_admin(project, mallory):
    ProjectFactory(slug="other", name="Other")
    mallory.is_superuser = True
    mallory.save(update_fields=["is_superuser"])

    projects = api(mallory).get(reverse("api:list_projects")).json()

    assert {(p["slug"], p["role"]) for p in projects} == {("demo", "admin"), ("other", "admin")}


def test_project_detail_and_missing_or_not_mine(bob, mallory):
    ProjectFactory(slug="other")

    assert api(bob).get(reverse("api:get_project", kwargs={"slug": "demo"})).status_code == 200
    for client, slug in ((api(mallory), "demo"), (api(bob), "other"), (api(bob), "nope")):
        response = client.get(reverse("api:get_project", kwargs={"slug": slug}))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api(mallory).get(reverse("api:list_projects")).json() == []


def areas(client, **params):
    response = client.get(reverse("api:list_areas", kwargs={"slug": "demo"}), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_areas_without_assignment_are_the_whole_tree(bob, west):
    listed = areas(api(bob))

    assert [(a["code"], a["parent"]) for a in listed] == [
        ("c", None),
        ("demo-v01", "t"),
        ("demo-v02", "t"),
        ("t", "c"),
    ]
    assert all(a["boundary"] is None for a in listed)


def test_boundaries_and_filters(bob, west):
    client = api(bob)

    villages = areas(client, level="village", boundaries=True)
    children = areas(client, parent="t")

    assert {a["code"]: a["boundary"] for a in villages} == {"demo-v01": None, "demo-v02": SQUARE}
    assert [a["code"] for a in children] == ["demo-v01", "demo-v02"]


def test_assigned_areas_with_what_is_inside_and_above(sam_in_east, west):
    Area.objects.create(
        code="g1", name="一组", level=Level.GROUP, parent=sam_in_east.memberships.get().areas.get()
    )

    listed = [a["code"] for a in areas(api(sam_in_east))]

    assert listed == ["c", "demo-v01", "g1", "t"]


def test_area_detail_has_its_boundary_and_hides_other_villages(sam_in_east, west, mallory):
    client = api(sam_in_east)
    Area.objects.filter(code="demo-v01").update(boundary=SQUARE)

    mine = client.get(reverse("api:get_area", kwargs={"slug": "demo", "code": "demo-v01"}))
    other = client.get(reverse("api:get_area", kwargs={"slug": "demo", "code": "demo-v02"}))
    outsider = api(mallory).get(
        reverse("api:get_area", kwargs={"slug": "demo", "code": "demo-v01"})
    )

    assert mine.json()["boundary"] == SQUARE
    assert (other.status_code, outsider.status_code) == (404, 404)
    assert api(mallory).get(reverse("api:list_areas", kwargs={"slug": "demo"})).status_code == 404
