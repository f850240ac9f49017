from django.core.management import call_command

from backend.accounts.models import User
from backend.areas.models import Area
from backend.households.models import Household
from backend.projects.models import Membership
from forms.models import Form, FormVersion


def test_demo_loads_everything_and_a_second_run_changes_nothing(db, capsys):
    call_command("demo")
    first = capsys.readouterr().out
    counts = [m.objects.count() for m in (User, Membership, Area, Household, Form, FormVersion)]
    call_command("demo")
    second = capsys.readouterr().out

    assert counts == [3, 3, 5, 6, 4, 4]
    assert Form.objects.filter(xml_form_id="village_review").exists()
    assert [
        m.objects.count() for m in (User, Membership, Area, Household, Form, FormVersion)
    ] == counts
    assert "published" in first
    assert "households created: 6" in first
    assert "households created: 0" in second
    assert "unchanged" in second
    assert "demo-worker-2026" in second
    assert "ODK Collect URL:  http://" in second
    assert "Dashboard:        http://127.0.0.1:8000/p/demo/dashboard/" in second
    assert "Review queue:     http://127.0.0.1:8000/p/demo/review/" in second
    assert "/admin/" not in second


def test_demo_users_can_log_in_with_printed_passwords(db):
    call_command("demo")

    worker = User.objects.get(username="worker")
    assert worker.check_password("demo-worker-2026")
    assert User.objects.get(username="admin").is_superuser
    assert not worker.is_staff


def test_demo_households_lie_inside_their_village(db):
    from shapely.geometry import Point

    from backend.geo.boundaries import boundary_from_geojson

    call_command("demo")

    for household in Household.objects.select_related("village"):
        polygon = boundary_from_geojson(household.village.boundary)
        assert polygon.contains(Point(household.longitude, household.latitude)), household.code
        assert household.properties["village"] == household.village.code


def test_demo_coordinates_carry_no_float_noise(db):
    call_command("demo")

    for household in Household.objects.all():
        latitude, longitude = household.properties["geometry"].split()[:2]
        for coordinate in (latitude, longitude):
            assert len(coordinate.partition(".")[2]) <= 7, household.properties["geometry"]
