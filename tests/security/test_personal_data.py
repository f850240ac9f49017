"""What the matrix's status cells cannot show: personal data masked and logged alike on every
door, evidence that names nothing its reader may not see, and imports that keep what they do not
replace. Checked in the same county as the matrix (tests/security/world.py)."""

import json

import pytest

from backend.areas.models import Area
from backend.audit.models import AccessKind, AccessLog
from backend.flags.models import Flag, Severity
from tests.security.calls import API, HOUSEHOLD, VISIT_FORM, phone, upload
from tests.security.matrix import Call, leaked, send
from tests.security.world import World
from tests.sync.conftest import body


def case(*values):
    return pytest.param(*values, id=str(values[0]))


# The doors through which a supervisor reads township A's household: the page, the household in
# the API, and the API's list.
SUPERVISOR_READS = [
    case("page", lambda w: Call("GET", HOUSEHOLD.format(w=w))),
    case("api", lambda w: Call("GET", f"{API}/households/{w.household.uuid}")),
    case("api list", lambda w: Call("GET", f"{API}/households")),
]


@pytest.mark.parametrize(("door", "call"), SUPERVISOR_READS)
def test_supervisors_get_id_numbers_masked(world: World, db, door, call):
    response = send(world, "supervisor_a", call(world))
    content = body(response)

    assert response.status_code == 200
    assert world.household.code.encode() in content  # the household is there...
    assert not leaked(content, [world.id_number])  # ...its ID number is not


@pytest.mark.parametrize(
    ("door", "call"),
    [
        case("page", lambda w: Call("GET", HOUSEHOLD.format(w=w))),
        case("api", lambda w: Call("GET", f"{API}/households/{w.household.uuid}")),
    ],
)
def test_reading_a_household_is_logged(world: World, db, door, call):
    send(world, "supervisor_a", call(world))

    assert AccessLog.objects.filter(
        user=world.users["supervisor_a"],
        kind=AccessKind.VIEW_HOUSEHOLD,
        object_id=str(world.household.uuid),
    ).exists()


def test_the_phones_list_masks_id_numbers(world: World, db):
    call = phone("GET", VISIT_FORM + "/media/households.csv", keyed=True)(world, "worker_a")
    response = send(world, "worker_a", call)
    content = body(response)

    assert response.status_code == 200
    assert world.household.code.encode() in content
    assert not leaked(content, [world.id_number])


@pytest.fixture
def duplicate_photo(world: World, db) -> Flag:
    """What the evidence check writes when B's photo matches A's: it points at township A."""
    return Flag.objects.create(
        project=world.project,
        household=world.household_b,
        village=world.household_b.village,
        submission=world.submission_b,
        code="photo_duplicate",
        subject=f"s{world.submission_b.pk}/home.jpg",
        severity=Severity.SERIOUS,
        evidence={
            "other_submission": world.submission.instance_id,
            "other_household": world.household.code,
        },
    )


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        case("/p/demo/submissions/{w.submission_b.pk}/", "SEC-B-0001"),
        case("/p/demo/households/{w.household_b.uuid}/", "SEC-B-0001"),
        case(API + "/submissions/{w.submission_b.pk}", "SEC-B-0001"),
        case(API + "/households/{w.household_b.uuid}", "SEC-B-0001"),
        case(API + "/flags", "photo_duplicate"),
    ],
)
def test_evidence_names_nothing_of_another_township(world: World, duplicate_photo, path, shown):
    response = send(world, "supervisor_b", Call("GET", path.format(w=world)))
    content = body(response)

    assert response.status_code == 200
    assert shown.encode() in content  # B's own record is there...
    assert not leaked(content, world.secrets_of_a)  # ...and what it matched is not named


def test_an_area_import_keeps_the_boundary_it_does_not_replace(world: World, db):
    feature = {
        "type": "Feature",
        "properties": {"code": "sec-a1", "name": "东坡村", "level": "village", "parent": "sec-ta"},
        "geometry": None,
    }
    geojson = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    call = Call(
        "POST",
        "/p/demo/admin/areas/import",
        data={"file": upload("areas.geojson", geojson, "application/geo+json")},
    )

    response = send(world, "county_admin", call)

    assert response.status_code == 302
    assert Area.objects.get(pk=world.village_a.pk).boundary == world.village_a.boundary
