"""Areas are shared by every project: an import edits only what its admin's scope holds."""

from django.test import Client
from django.urls import reverse

from backend.areas.models import Area
from backend.projects.models import Role
from tests.areas.test_import_areas import SQUARE, feature
from tests.areas.test_import_page import geojson
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

URL = reverse("areas:import", args=["demo"])


def post(client: Client, user, features, url=URL):
    client.force_login(user)
    return client.post(url, {"file": geojson(features)})


def with_boundary(townships):
    Area.objects.filter(pk=townships.a1.pk).update(boundary=SQUARE)


def test_an_admin_of_another_project_cannot_move_a_village(client: Client, townships):
    with_boundary(townships)
    other = ProjectFactory(slug="other")
    stranger = UserFactory(username="other_admin")
    MembershipFactory(project=other, user=stranger, role=Role.ADMIN)
    move = [feature("520101", "Village A1", "village", "5202")]
    response = post(client, stranger, move, reverse("areas:import", args=["other"]))
    assert response.status_code == 400
    assert "another project works there too" in response.content.decode()
    village = Area.objects.get(code="520101")
    assert (village.parent_id, village.boundary) == (townships.a.pk, SQUARE)


def test_a_township_admin_moves_no_village_out_of_another_township(client: Client, townships):
    move = [feature("520101", "Village A1", "village", "5202")]
    assert post(client, townships.admin_b, move).status_code == 400
    assert Area.objects.get(code="520101").parent_id == townships.a.pk


def test_a_township_admin_moves_no_village_into_another_township(client: Client, townships):
    move = [feature("520201", "Village B1", "village", "5201")]
    assert post(client, townships.admin_b, move).status_code == 400
    assert Area.objects.get(code="520201").parent_id == townships.b.pk


def test_a_township_admin_adds_and_renames_villages_in_their_township(client: Client, townships):
    features = [
        feature("520202", "Village B2", "village", "5202", SQUARE),
        feature("520201", "Village B1 renamed", "village", "5202"),
    ]
    assert post(client, townships.admin_b, features).status_code == 302
    assert Area.objects.get(code="520202").parent_id == townships.b.pk
    assert Area.objects.get(code="520201").name == "Village B1 renamed"
    elsewhere = [feature("520102", "Village A2", "village", "5201")]
    assert post(client, townships.admin_b, elsewhere).status_code == 400
    assert not Area.objects.filter(code="520102").exists()
    county = [feature("530000", "Another county", "county")]
    assert post(client, townships.admin_b, county).status_code == 400


def test_the_whole_tree_imported_again_as_it_is_is_accepted(client: Client, townships):
    tree = [
        feature(area.code, area.name, area.level, area.parent.code if area.parent else None)
        for area in Area.objects.select_related("parent").order_by("code")
    ]
    assert post(client, townships.admin_b, tree).status_code == 302


def test_the_county_admin_moves_a_village_and_its_boundary_stays(client: Client, townships, alice):
    with_boundary(townships)
    move = [feature("520101", "Village A1", "village", "5202")]
    assert post(client, alice, move).status_code == 302
    village = Area.objects.get(code="520101")
    assert (village.parent_id, village.boundary) == (townships.b.pk, SQUARE)


def test_supervisors_import_nothing(client: Client, townships):
    new = [feature("520202", "Village B2", "village", "5202")]
    assert post(client, townships.supervisor_b, new).status_code == 403
    assert not Area.objects.filter(code="520202").exists()
