"""Members managed on the people pages: added, created, changed and removed by a project admin,
only within the admin's own area; a refusal writes nothing."""

import pytest
from django.test import Client

from backend.accounts.models import DeviceToken, User
from backend.accounts.services import device_token_issue
from backend.areas.models import Level
from backend.projects.models import Membership, Role
from tests.factories import AreaFactory, MembershipFactory, UserFactory

PEOPLE = "/p/demo/admin/people/"


@pytest.fixture
def places(project):
    county = AreaFactory(code="c1", name="County", level=Level.COUNTY)
    found = {"county": county}
    for n in (1, 2):
        township = AreaFactory(
            code=f"t{n}", name=f"Township {n}", level=Level.TOWNSHIP, parent=county
        )
        found[f"t{n}"] = township
        found[f"v{n}"] = AreaFactory(
            code=f"v{n}", name=f"Village {n}", level=Level.VILLAGE, parent=township
        )
    return found


@pytest.fixture
def tina(project, places):
    """An admin of township 1."""
    user = UserFactory(username="tina", full_name="Tina")
    MembershipFactory(project=project, user=user, role=Role.ADMIN).areas.add(places["t1"])
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(project, username):
    return Membership.objects.filter(project=project, user__username=username).first()


def test_an_admin_adds_an_existing_user_with_a_role_and_areas(project, places, alice, mallory):
    response = signed_in(alice).post(
        PEOPLE + "add",
        {"add-username": "mallory", "add-role": "supervisor", "add-areas": [places["v1"].pk]},
    )

    assert response.status_code == 302
    membership = member(project, "mallory")
    assert membership.role == Role.SUPERVISOR
    assert list(membership.areas.all()) == [places["v1"]]


def test_a_township_admin_gives_only_areas_within_theirs(project, places, tina, mallory):
    client = signed_in(tina)

    outside = client.post(
        PEOPLE + "add",
        {"add-username": "mallory", "add-role": "collector", "add-areas": [places["v2"].pk]},
    )
    none = client.post(PEOPLE + "add", {"add-username": "mallory", "add-role": "collector"})
    inside = client.post(
        PEOPLE + "add",
        {"add-username": "mallory", "add-role": "collector", "add-areas": [places["v1"].pk]},
    )

    assert outside.status_code == 400  # township 2's village is not even offered
    assert none.status_code == 403
    assert "Choose at least one area within yours." in none.content.decode()
    assert inside.status_code == 302
    assert list(member(project, "mallory").areas.all()) == [places["v1"]]


def test_the_people_page_offers_only_the_admins_own_areas(project, places, tina):
    html = signed_in(tina).get(PEOPLE).content.decode()

    assert "Township 1" in html
    assert "Village 1" in html
    assert "Village 2" not in html
    assert "/admin/projects" not in html  # nobody is sent to Django's admin


def test_unknown_or_taken_names_are_refused(project, places, alice, bob):
    client = signed_in(alice)

    unknown = client.post(PEOPLE + "add", {"add-username": "ghost", "add-role": "collector"})
    already = client.post(PEOPLE + "add", {"add-username": "bob", "add-role": "supervisor"})
    taken = client.post(
        PEOPLE + "new",
        {"new-username": "BOB", "new-password": "long-enough-pass-42", "new-role": "collector"},
    )

    assert unknown.status_code == 400
    assert "No active user has this user name." in unknown.content.decode()
    assert already.status_code == 400
    assert "already a member" in already.content.decode()
    assert taken.status_code == 400
    assert member(project, "bob").role == Role.COLLECTOR


def test_a_new_member_chooses_their_own_password_first(project, places, alice):
    created = signed_in(alice).post(
        PEOPLE + "new",
        {
            "new-username": "lin",
            "new-full_name": "林芳",
            "new-password": "first-pass-2026",
            "new-role": "collector",
            "new-areas": [places["v2"].pk],
        },
    )
    assert created.status_code == 302
    lin = User.objects.get(username="lin")
    assert lin.must_change_password
    assert member(project, "lin").role == Role.COLLECTOR

    client = Client()
    assert (
        client.post("/login/", {"username": "lin", "password": "first-pass-2026"}).status_code
        == 302
    )
    assert client.get("/")["Location"] == "/password/"
    assert client.get("/p/demo/review/")["Location"] == "/password/"
    changed = client.post(
        "/password/",
        {
            "old_password": "first-pass-2026",
            "new_password1": "my-own-secret-77",
            "new_password2": "my-own-secret-77",
        },
    )
    assert changed.status_code == 302
    lin.refresh_from_db()
    assert not lin.must_change_password
    assert lin.check_password("my-own-secret-77")
    assert client.get("/").status_code == 200


def test_a_weak_first_password_is_refused(project, places, alice):
    response = signed_in(alice).post(
        PEOPLE + "new", {"new-username": "lin", "new-password": "12345678", "new-role": "collector"}
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="lin").exists()


def test_an_admin_changes_a_members_role_and_areas(project, places, alice, bob):
    url = f"{PEOPLE}{bob.pk}/change"

    response = signed_in(alice).post(url, {"role": "supervisor", "areas": [places["t2"].pk]})

    assert response.status_code == 302
    membership = member(project, "bob")
    assert membership.role == Role.SUPERVISOR
    assert list(membership.areas.all()) == [places["t2"]]


def test_a_township_admin_manages_only_their_own_members(project, places, tina):
    inside, outside = UserFactory(username="in1"), UserFactory(username="out2")
    MembershipFactory(project=project, user=inside, role=Role.COLLECTOR).areas.add(places["v1"])
    MembershipFactory(project=project, user=outside, role=Role.COLLECTOR).areas.add(places["v2"])
    client = signed_in(tina)

    moved_out = client.post(
        f"{PEOPLE}{inside.pk}/change", {"role": "collector", "areas": [places["v2"].pk]}
    )
    foreign = client.post(
        f"{PEOPLE}{outside.pk}/change", {"role": "collector", "areas": [places["v1"].pk]}
    )
    removed = client.post(f"{PEOPLE}{outside.pk}/remove")

    assert moved_out.status_code == 400  # village 2 is not among the choices
    assert foreign.status_code == 404
    assert removed.status_code == 404
    assert list(member(project, "in1").areas.all()) == [places["v1"]]
    assert list(member(project, "out2").areas.all()) == [places["v2"]]


def test_nobody_changes_or_removes_themselves(project, places, alice):
    client = signed_in(alice)

    changed = client.post(f"{PEOPLE}{alice.pk}/change", {"role": "collector"})
    removed = client.post(f"{PEOPLE}{alice.pk}/remove")

    assert changed.status_code == 403
    assert removed.status_code == 403
    assert member(project, "alice").role == Role.ADMIN


def test_removing_a_member_stops_their_phones(project, places, alice, bob):
    token, _secret = device_token_issue(user=bob, project=project, label="Redmi")

    response = signed_in(alice).post(f"{PEOPLE}{bob.pk}/remove")

    assert response.status_code == 302
    assert member(project, "bob") is None
    assert DeviceToken.objects.get(pk=token.pk).revoked_at is not None
    assert User.objects.filter(username="bob").exists()


def test_supervisors_may_not_manage_members(project, places, sam, mallory):
    client = signed_in(sam)

    assert (
        client.post(
            PEOPLE + "add", {"add-username": "mallory", "add-role": "collector"}
        ).status_code
        == 403
    )
    assert member(project, "mallory") is None


def test_the_people_page_speaks_chinese(project, places, alice, bob):
    client = signed_in(alice)
    client.cookies["django_language"] = "zh-hans"

    assert "新建账号" in client.get(PEOPLE).content.decode()
    assert "从项目中移除" in client.get(f"{PEOPLE}{bob.pk}/").content.decode()
