"""Renovation inspections (housing_inspection): copied photos, before and after, broken files."""

import io
from datetime import timedelta

from django.urls import reverse
from PIL import Image

from backend.evidence.models import PhotoEvidence
from backend.households.models import Household
from tests.evidence.conftest import HOME_A, HOME_B, geopoint, open_codes
from tests.media.photos import jpeg_bytes, photo, picture

TWO_KM_NORTH = (26.519, 106.70)


def shot(seed, start, point, minutes=5, **kwargs):
    taken = (start + timedelta(minutes=minutes)).replace(tzinfo=None)
    return photo(seed, taken=taken, lat=point[0], lon=point[1], **kwargs)


def before(point, name="before.jpg"):
    return {
        "/data/stage": "before",
        "/data/before/photo_before": name,
        "/data/before/photo_before_gps": geopoint(point),
    }


def after(point, kitchen_point=None, **names):
    kitchen_point = kitchen_point or point
    return {
        "/data/stage": "after",
        "/data/after/photo_after": names.get("after", "after.jpg"),
        "/data/after/photo_after_gps": geopoint(point),
        "/data/after/has_kitchen": "yes",
        "/data/after/photo_kitchen": names.get("kitchen", "kitchen.jpg"),
        "/data/after/photo_kitchen_gps": geopoint(kitchen_point),
        "/data/after/has_toilet": "yes",
        "/data/after/photo_toilet": names.get("toilet", "toilet.jpg"),
        "/data/after/photo_toilet_gps": geopoint(point),
        "/data/after/result": "pass",
        "/data/after/hh_sig": "sig.png",
    }


def signature() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_copied_photo_far_photo_and_short_visit_show_exactly_three_flags(send, homes, base_time):
    neighbour_photo = shot(10, base_time, HOME_A, minutes=10)
    first = send(
        "housing_inspection",
        homes["A"],
        before(HOME_A),
        [("before.jpg", neighbour_photo)],
        start=base_time,
    )
    assert open_codes(first) == set()
    start = base_time + timedelta(minutes=50)
    files = [
        ("after.jpg", neighbour_photo),  # copied from household A's inspection
        ("kitchen.jpg", shot(11, start, TWO_KM_NORTH, minutes=1)),
        ("toilet.jpg", shot(12, start, HOME_B, minutes=1)),
        ("sig.png", signature()),
    ]
    second = send("housing_inspection", homes["B"], after(HOME_B), files, start=start, minutes=1.5)
    assert open_codes(second) == {"photo_duplicate", "photo_gps_far", "visit_too_short"}
    duplicate = second.flags.get(code="photo_duplicate")
    assert duplicate.household == homes["B"]
    assert duplicate.evidence["match"] == "identical"
    assert duplicate.evidence["other_submission"] == first.instance_id
    assert duplicate.evidence["other_photo"] == "before.jpg"
    assert duplicate.evidence["other_household"] == "A-1"
    assert duplicate.evidence["same_household"] is False
    far = second.flags.get(code="photo_gps_far")
    assert far.subject == f"s{second.pk}/kitchen.jpg"
    assert far.evidence["point_field"] == "/data/after/photo_kitchen_gps"
    assert 2000 <= far.evidence["distance_m"] <= 2015
    assert second.flags.get(code="visit_too_short").evidence["duration_s"] == 90
    # The drawn signature is not a camera photo: no EXIF expected, not checked.
    assert not PhotoEvidence.objects.filter(attachment__name="sig.png").exists()


def test_near_identical_copy_from_another_household_is_a_duplicate(send, homes, base_time):
    original = picture(30, (1600, 1200))
    first = send(
        "housing_inspection",
        homes["A"],
        before(HOME_A),
        [("before.jpg", jpeg_bytes(original, quality=92))],
        start=base_time,
    )
    copy = jpeg_bytes(original.resize((800, 600)), quality=60)
    second = send(
        "housing_inspection",
        homes["B"],
        before(HOME_B),
        [("before.jpg", copy)],
        start=base_time + timedelta(minutes=30),
    )
    evidence = second.flags.get(code="photo_duplicate").evidence
    assert evidence["match"] == "near"
    assert evidence["distance"] <= 4
    assert evidence["other_submission_id"] == first.pk
    # A different picture of a different house is not a duplicate.
    third = send(
        "housing_inspection",
        homes["B"],
        before(HOME_B),
        [("before.jpg", shot(31, base_time, HOME_B))],
        start=base_time + timedelta(minutes=60),
    )
    assert "photo_duplicate" not in open_codes(third)
    # These copies carry no EXIF at all, which is reported too (as information).
    assert "photo_no_exif" in open_codes(second)


def test_after_photo_equal_to_before_photo(send, homes, base_time):
    house = picture(40, (1200, 900))
    send(
        "housing_inspection",
        homes["B"],
        before(HOME_B),
        [("before.jpg", jpeg_bytes(house, quality=90))],
        start=base_time,
    )
    start = base_time + timedelta(minutes=60)
    same = send(
        "housing_inspection",
        homes["B"],
        after(HOME_B),
        [
            ("after.jpg", jpeg_bytes(house.resize((1000, 750)), quality=70)),
            ("kitchen.jpg", shot(41, start, HOME_B)),
            ("toilet.jpg", shot(42, start, HOME_B)),
        ],
        start=start,
    )
    codes = open_codes(same)
    assert "before_after_same" in codes
    # The same fact is not reported twice as a copied photo.
    assert "photo_duplicate" not in codes
    evidence = same.flags.get(code="before_after_same").evidence
    assert evidence["other_photo"] == "before.jpg"
    assert evidence["limit"] == 4
    renovated = send(
        "housing_inspection",
        homes["B"],
        after(HOME_B),
        [
            ("after.jpg", shot(43, start, HOME_B)),
            ("kitchen.jpg", shot(44, start, HOME_B)),
            ("toilet.jpg", shot(45, start, HOME_B)),
        ],
        start=start + timedelta(minutes=30),
    )
    assert "before_after_same" not in open_codes(renovated)


def test_broken_photo_is_flagged_and_processing_goes_on(send, homes, base_time):
    truncated = shot(50, base_time, HOME_B)[:2000]
    submission = send(
        "housing_inspection",
        homes["B"],
        before(HOME_B),
        [("before.jpg", truncated)],
        start=base_time,
    )
    submission.refresh_from_db()
    assert submission.processed_at is not None
    assert submission.processing_error == ""
    assert Household.objects.get(pk=homes["B"].pk).version == 2  # the merge happened
    flag = submission.flags.get(code="photo_not_image")
    assert flag.evidence["problem"].startswith("damaged image")
    assert open_codes(submission) == {"photo_not_image"}


def test_text_file_as_photo_is_not_an_image(send, homes, base_time):
    submission = send(
        "housing_inspection",
        homes["B"],
        before(HOME_B),
        [("before.jpg", b"GIF89a? no")],
        start=base_time,
    )
    assert submission.flags.get(code="photo_not_image").evidence["problem"] == "not an image"


def test_flags_with_evidence_in_both_languages_through_the_api(
    send, homes, base_time, client, sam, mallory
):
    neighbour_photo = shot(70, base_time, HOME_A, minutes=10)
    send(
        "housing_inspection",
        homes["A"],
        before(HOME_A),
        [("before.jpg", neighbour_photo)],
        start=base_time,
    )
    start = base_time + timedelta(minutes=50)
    files = [
        ("after.jpg", neighbour_photo),
        ("kitchen.jpg", shot(71, start, TWO_KM_NORTH, 1)),
        ("toilet.jpg", shot(72, start, HOME_B, 1)),
    ]
    send("housing_inspection", homes["B"], after(HOME_B), files, start=start, minutes=1.5)
    url = reverse("api:list_flags", kwargs={"slug": "demo"})

    client.force_login(sam)
    english = {f["code"]: f for f in client.get(url).json()["results"]}
    assert set(english) == {"photo_duplicate", "photo_gps_far", "visit_too_short"}
    assert english["visit_too_short"]["label"] == "The visit was too short"
    assert english["visit_too_short"]["details"] == (
        "The form was open 90 seconds (shortest plausible: 5 min)."
    )
    assert "matches before.jpg" in english["photo_duplicate"]["details"]
    assert "identical file" in english["photo_duplicate"]["details"]
    chinese = {
        f["code"]: f
        for f in client.get(url, headers={"Accept-Language": "zh-hans"}).json()["results"]
    }
    assert chinese["visit_too_short"]["label"] == "走访时间过短"
    assert chinese["photo_gps_far"]["details"].startswith("照片 kitchen.jpg 的拍摄位置距走访位置")
    assert "文件完全相同" in chinese["photo_duplicate"]["details"]

    client.force_login(mallory)
    assert client.get(url).status_code == 404
