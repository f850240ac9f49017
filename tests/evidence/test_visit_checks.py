"""Each check on a home visit (hh_visit), found and not found."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest

from backend.evidence.models import PhotoEvidence
from backend.flags.models import Flag
from backend.submissions.models import Submission
from tests.evidence.conftest import HOME_A, HOME_B, geopoint, open_codes, visit_values
from tests.households.instances import XF, filled_instance
from tests.media.photos import photo
from tests.sync.submissions import multipart


def camera(seed, start, point=HOME_A, minutes=5, **kwargs):
    """A photo taken `minutes` into the visit at `point`, with the phone's offset."""
    taken = (start + timedelta(minutes=minutes)).replace(tzinfo=None)
    return photo(seed, taken=taken, lat=point[0], lon=point[1], alt=1020.0, **kwargs)


def test_clean_visit_has_no_flags(send, homes, base_time):
    submission = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", camera(1, base_time))],
        start=base_time,
    )
    assert open_codes(submission) == set()
    (row,) = PhotoEvidence.objects.filter(submission=submission)
    assert row.field == "/data/house_photo"
    assert row.taken_offset_known
    assert row.thumb_small.endswith(".320.jpg")
    assert row.thumb_large.endswith(".1280.jpg")
    assert row.household == homes["A"]
    assert len(row.phash) == 16


def test_gps_missing(send, homes, base_time):
    blank = send("hh_visit", homes["A"], visit_values(""), start=base_time)
    assert "gps_missing" in open_codes(blank)
    assert blank.flags.get(code="gps_missing").evidence == {"field": "/data/visit_gps"}
    located = send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time)
    assert "gps_missing" not in open_codes(located)


@pytest.mark.parametrize(("accuracy", "flagged"), [(80.0, True), (12.0, False)])
def test_gps_low_accuracy(send, homes, base_time, accuracy, flagged):
    submission = send(
        "hh_visit", homes["A"], visit_values(geopoint(HOME_A, accuracy)), start=base_time
    )
    assert ("gps_low_accuracy" in open_codes(submission)) is flagged
    if flagged:
        evidence = submission.flags.get(code="gps_low_accuracy").evidence
        assert evidence == {"field": "/data/visit_gps", "accuracy_m": 80.0, "limit_m": 50}


def test_gps_outside_village(send, homes, base_time):
    # 0.01° of latitude north of the boundary's edge: about 1.1 km outside.
    outside = send("hh_visit", homes["B"], visit_values(geopoint((26.52, 106.70))), start=base_time)
    evidence = outside.flags.get(code="gps_outside_village").evidence
    assert evidence["village"] == "demo-v01"
    assert 1100 <= evidence["distance_m"] <= 1115
    # 100 m outside is within the 200 m tolerance.
    near_edge = send(
        "hh_visit", homes["B"], visit_values(geopoint((26.5109, 106.70))), start=base_time
    )
    assert "gps_outside_village" not in open_codes(near_edge)


def test_gps_far_from_household(send, homes, base_time):
    far = send("hh_visit", homes["A"], visit_values(geopoint((26.505, 106.70))), start=base_time)
    evidence = far.flags.get(code="gps_far_from_household").evidence
    assert 550 <= evidence["distance_m"] <= 560
    assert evidence["limit_m"] == 300
    # B's house is 111 m from A's: within the limit.
    near = send("hh_visit", homes["A"], visit_values(geopoint(HOME_B)), start=base_time)
    assert "gps_far_from_household" not in open_codes(near)


def test_photo_gps_far(send, homes, base_time):
    two_km = (26.518, 106.70)
    far = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", camera(1, base_time, point=two_km))],
        start=base_time,
    )
    flag = far.flags.get(code="photo_gps_far")
    assert flag.subject == f"s{far.pk}/house.jpg"
    assert 1995 <= flag.evidence["distance_m"] <= 2010
    assert flag.evidence["point_field"] == "/data/visit_gps"
    near = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", camera(2, base_time, point=HOME_B))],
        start=base_time,
    )
    assert "photo_gps_far" not in open_codes(near)


def test_photo_no_exif_is_information(send, homes, base_time):
    bare = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", photo(3))],
        start=base_time,
    )
    flag = bare.flags.get(code="photo_no_exif")
    assert flag.severity == "info"
    assert flag.evidence["missing"] == ["time", "position"]
    timed_only = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", photo(4, taken=base_time.replace(tzinfo=None)))],
        start=base_time,
    )
    assert timed_only.flags.get(code="photo_no_exif").evidence["missing"] == ["position"]


def test_photo_time_outside_visit(send, homes, base_time):
    # Taken three hours before the visit started (the margin is one hour).
    early = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", camera(5, base_time, minutes=-180))],
        start=base_time,
    )
    evidence = early.flags.get(code="photo_time_outside_visit").evidence
    assert evidence["minutes_outside"] == 120
    assert evidence["taken_at"].endswith("+08:00")
    # 50 minutes before the start is inside the margin.
    inside = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", camera(6, base_time, minutes=-50))],
        start=base_time,
    )
    assert "photo_time_outside_visit" not in open_codes(inside)


def test_photo_time_without_offset_is_read_in_the_phones_zone(send, homes, base_time):
    local = (base_time + timedelta(minutes=5)).replace(tzinfo=None)
    submission = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        [("house.jpg", photo(7, taken=local, offset=None, lat=HOME_A[0], lon=HOME_A[1]))],
        start=base_time,
    )
    row = PhotoEvidence.objects.get(submission=submission)
    assert not row.taken_offset_known
    assert row.taken_at == base_time + timedelta(minutes=5)
    assert open_codes(submission) == set()


def test_visit_too_short(send, homes, base_time):
    quick = send(
        "hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time, minutes=1.5
    )
    assert quick.flags.get(code="visit_too_short").evidence["duration_s"] == 90
    normal = send(
        "hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time, minutes=12
    )
    assert "visit_too_short" not in open_codes(normal)


def test_device_time_skew(send, homes, base_time):
    future = base_time + timedelta(days=3)
    ahead = send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=future)
    assert ahead.flags.get(code="device_time_skew").evidence["reason"] == "end_in_future"
    # Ten days before the forms were published (a month ago), whatever the hour of the run.
    stale = send(
        "hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time - timedelta(days=40)
    )
    assert stale.flags.get(code="device_time_skew").evidence["reason"] == "before_form_published"
    fine = send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time)
    assert "device_time_skew" not in open_codes(fine)


def test_impossible_travel(send, homes, base_time):
    send("hh_visit", homes["A"], visit_values(geopoint(HOME_A)), start=base_time, minutes=10)
    # Thirty minutes later, 55 km away: 110 km/h over 40 minutes is fine...
    far_point = (26.9950, 106.70)
    ok = send(
        "hh_visit",
        homes["B"],
        visit_values(geopoint(far_point)),
        start=base_time + timedelta(minutes=50),
        minutes=10,
    )
    assert "impossible_travel" not in open_codes(ok)
    # ...but back at house A 15 minutes later is not.
    back = send(
        "hh_visit",
        homes["A"],
        visit_values(geopoint(HOME_A)),
        start=base_time + timedelta(minutes=65),
        minutes=10,
    )
    evidence = back.flags.get(code="impossible_travel").evidence
    assert evidence["other_submission"] == ok.instance_id
    assert evidence["same"] == "worker"
    assert evidence["speed_kmh"] > 120
    assert Flag.objects.filter(code="impossible_travel").count() == 1


def test_an_edit_is_not_a_copy_of_the_visit_it_replaces(collect, library, homes, base_time):
    values = {
        "/data/start": base_time.isoformat(),
        "/data/end": (base_time + timedelta(minutes=20)).isoformat(),
        "/data/village": "demo-v01",
        "/data/hh": str(homes["A"].uuid),
        **visit_values(geopoint(HOME_A)),
    }
    entity = {"dataset": "households", "id": str(homes["A"].uuid), "update": "1"}
    house = camera(80, base_time)
    first = filled_instance(library["hh_visit"], values, entity=entity, instance_id="uuid:e-1")
    assert (
        collect("post", "submission", data=multipart(first, ("house.jpg", house))).status_code
        == 201
    )
    root = ElementTree.fromstring(
        filled_instance(library["hh_visit"], values, entity=entity, instance_id="uuid:e-2")
    )
    ElementTree.SubElement(root.find(f"{XF}meta"), f"{XF}deprecatedID").text = "uuid:e-1"
    edit = ElementTree.tostring(root)
    assert (
        collect("post", "submission", data=multipart(edit, ("house.jpg", house))).status_code == 201
    )
    edited = Submission.objects.get(instance_id="uuid:e-2")
    assert edited.supersedes.instance_id == "uuid:e-1"
    assert open_codes(edited) == set()
