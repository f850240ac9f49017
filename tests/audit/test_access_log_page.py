"""The access-log page: county admins read who looked at what, named as people know it."""

from datetime import datetime

import pytest
from django.test import Client

from backend.areas.models import Level
from backend.audit.models import AccessKind, AccessLog
from backend.audit.privacy import access_log_record
from backend.households.services import household_register
from backend.projects.models import Role
from tests.factories import AreaFactory, MembershipFactory, UserFactory

PAGE = "/p/demo/access-log/"


@pytest.fixture
def county(project):
    county = AreaFactory(code="c1", name="County", level=Level.COUNTY)
    places = {}
    for n in (1, 2):
        township = AreaFactory(
            code=f"t{n}", name=f"Township {n}", level=Level.TOWNSHIP, parent=county
        )
        village = AreaFactory(
            code=f"v{n}", name=f"Village {n}", level=Level.VILLAGE, parent=township
        )
        places[n] = (township, village)
    homes = {
        n: household_register(
            project=project, code=f"HH-{n}", label=f"王家{n}", village=village, properties={}
        )
        for n, (_township, village) in places.items()
    }
    return county, places, homes


def admin(project, username, area=None):
    user = UserFactory(username=username)
    membership = MembershipFactory(project=project, user=user, role=Role.ADMIN)
    if area is not None:
        membership.areas.add(area)
    return user


@pytest.fixture
def logged(project, county, sam):
    _county, _places, homes = county
    access_log_record(
        user=sam,
        project_id=project.pk,
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[homes[1].uuid],
        ip="10.1.2.3",
    )
    access_log_record(
        user=sam,
        project_id=project.pk,
        kind=AccessKind.REVEAL,
        object_type="submission",
        object_ids=[999999],
        ip="10.1.2.4",
        detail="api",
    )
    return homes


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_county_admin_reads_entries_by_label_newest_first(project, county, logged, alice):
    county_area = county[0]
    carl = admin(project, "carl", county_area)

    html = signed_in(carl).get(PAGE).content.decode()

    household = logged[1]
    assert "王家1" in html
    assert f'href="/p/demo/households/{household.uuid}/"' in html
    assert f">{household.uuid}<" not in html  # linked, never shown as the record's name
    assert "Viewed a household" in html
    assert "Revealed personal data" in html
    assert "a submission no longer in the project" in html
    assert "through the API" in html
    assert "10.1.2.3" in html
    assert html.index("10.1.2.4") < html.index("10.1.2.3")  # newest first
    assert "Entries found: 2" in html


def test_filters_by_person_kind_and_days(project, county, logged, alice, sam, fixed_clock):
    client = signed_in(alice)
    old = AccessLog.objects.get(kind=AccessKind.VIEW_HOUSEHOLD)
    AccessLog.objects.filter(pk=old.pk).update(
        created_at=datetime.fromisoformat("2026-01-05T10:00:00+08:00")
    )

    by_kind = client.get(PAGE, {"kind": "view_household"}).content.decode()
    by_person = client.get(PAGE, {"person": alice.pk}).content.decode()
    by_days = client.get(PAGE, {"since": "2026-01-05", "until": "2026-01-05"}).content.decode()

    assert "10.1.2.3" in by_kind
    assert "10.1.2.4" not in by_kind
    assert "No entries with these filters." in by_person
    assert "10.1.2.3" in by_days
    assert "10.1.2.4" not in by_days
    refused = client.get(PAGE, {"since": "2026-02-01", "until": "2026-01-01"})
    assert refused.status_code == 200
    assert "The start date is after the end date." in refused.content.decode()
    assert "10.1.2.3" not in refused.content.decode()


def test_pages_of_fifty(project, county, logged, alice, sam):
    access_log_record(
        user=sam,
        project_id=project.pk,
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_type="household",
        object_ids=[f"00000000-0000-0000-0000-{n:012d}" for n in range(60)],
        ip="10.9.9.9",
    )
    client = signed_in(alice)

    first = client.get(PAGE).content.decode()
    second = client.get(PAGE, {"page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert second.count('class="card"') == 12
    assert "a household no longer in the project" in second


def test_csv_download_names_records_too(project, county, logged, alice):
    response = signed_in(alice).get("/p/demo/access-log.csv", {"kind": "view_household"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="access-log.csv"'
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Time,Person,What they did,Record,Note,IP"
    assert len(lines) == 2
    assert "王家1" in lines[1]
    assert "Viewed a household" in lines[1]
    assert "10.1.2.3" in lines[1]


def test_the_page_speaks_chinese(project, county, logged, alice):
    client = signed_in(alice)
    client.cookies["django_language"] = "zh-hans"

    html = client.get(PAGE).content.decode()

    assert "访问日志" in html
    assert "查看农户" in html


def test_nobody_else_reads_it(project, county, logged, sam, bob, mallory):
    township = county[1][1][0]
    tina = admin(project, "tina", township)
    for user, status in ((tina, 403), (sam, 403), (bob, 403), (mallory, 404)):
        client = signed_in(user)
        assert client.get(PAGE).status_code == status, user
        assert client.get("/p/demo/access-log.csv").status_code == status, user
    assert Client().get(PAGE).status_code == 302


def test_only_county_admins_see_the_link(project, county, alice):
    township = county[1][1][0]
    tina = admin(project, "tina", township)

    assert 'href="/p/demo/access-log/"' in signed_in(alice).get("/p/demo/exports/").content.decode()
    assert (
        'href="/p/demo/access-log/"' not in signed_in(tina).get("/p/demo/exports/").content.decode()
    )
