"""POST and HEAD /submission as ODK Collect sends them (docs/openrosa.md, "Submissions")."""

from xml.etree import ElementTree

import pytest
from django.core.files.storage import default_storage

from backend.submissions.models import AttachmentState, ReviewState, Submission
from backend.submissions.uploads import MULTIPART_ALLOWANCE
from forms.models import FormState
from forms.services import Upload, form_publish, form_set_state
from tests.forms import mdforms
from tests.sync.submissions import jpeg, multipart, photos_xml, simple_xml

RESPONSE_NS = "{http://openrosa.org/http/response}"


def message(response) -> str:
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{RESPONSE_NS}OpenRosaResponse"
    return root.find(f"{RESPONSE_NS}message").text


def post(collect, data):
    return collect("post", "submission", data=data)


def test_head_answers_204_with_the_size_limit(collect, simple, settings):
    response = collect("head", "submission")

    assert response.status_code == 204
    assert response.content == b""
    assert response["X-OpenRosa-Accept-Content-Length"] == str(
        settings.OPENROSA_MAX_SUBMISSION_BYTES
    )
    assert response["X-OpenRosa-Version"] == "1.0"


def test_new_submission_with_photo_is_201_and_stored(collect, simple, bob):
    photo = jpeg()

    response = post(collect, multipart(simple_xml("uuid:1"), ("a.jpg", photo)))

    assert response.status_code == 201
    assert message(response) == "Submission received."
    submission = Submission.objects.get()
    assert (submission.instance_id, submission.submitted_by, submission.complete) == (
        "uuid:1",
        bob,
        True,
    )
    assert submission.device_token is not None
    assert submission.review_state == ReviewState.RECEIVED
    (attachment,) = submission.attachments.all()
    assert attachment.state == AttachmentState.RECEIVED
    assert default_storage.open(attachment.file.name).read() == photo
    assert attachment.image_ok is True


def test_post_processing_extracts_typed_fields(collect, photos):
    post(
        collect,
        multipart(
            photos_xml("uuid:p"), ("front.jpg", jpeg()), ("r1.jpg", jpeg()), ("r2.jpg", jpeg())
        ),
    )

    submission = Submission.objects.get()
    assert submission.fields["name"] == "Wang"
    assert submission.fields["rooms"] == [
        {"room_photo": "r1.jpg", "size": 12},
        {"room_photo": "r2.jpg", "size": 12},
    ]
    assert submission.processed_at is not None
    assert submission.attachments.filter(image_ok=True).count() == 3


def test_attachments_before_the_xml_part_are_fine(collect, simple):
    data = {"a.jpg": multipart(b"", ("a.jpg", jpeg()))["a.jpg"], **multipart(simple_xml("uuid:2"))}

    assert post(collect, data).status_code == 201
    assert Submission.objects.get().complete


def test_unreferenced_parts_are_ignored(collect, simple):
    response = post(
        collect, multipart(simple_xml("uuid:3"), ("a.jpg", jpeg()), ("stray.bin", b"x"))
    )

    assert response.status_code == 201
    assert [a.name for a in Submission.objects.get().attachments.all()] == ["a.jpg"]


def test_split_upload_completes_the_same_record(collect, photos):
    xml = photos_xml("uuid:split")

    first = post(collect, multipart(xml, ("front.jpg", jpeg()), incomplete=True))
    second = post(collect, multipart(xml, ("r1.jpg", jpeg()), ("r2.jpg", jpeg())))

    assert (first.status_code, second.status_code) == (201, 201)
    assert "still to come" in message(first)
    submission = Submission.objects.get()
    assert submission.complete
    assert submission.attachments.filter(state=AttachmentState.RECEIVED).count() == 3


def test_exact_resubmission_is_idempotent(collect, simple):
    data = lambda: multipart(simple_xml("uuid:4"), ("a.jpg", jpeg()))  # noqa: E731

    statuses = [post(collect, data()).status_code for _ in range(3)]

    assert statuses == [201, 201, 201]
    assert Submission.objects.count() == 1


def test_same_instance_with_different_xml_is_409(collect, simple):
    post(collect, multipart(simple_xml("uuid:5", name="Li")))

    response = post(collect, multipart(simple_xml("uuid:5", name="Wang")))

    assert response.status_code == 409
    assert "different content" in message(response)
    assert Submission.objects.get().xml.count("Li") == 1


def test_attachment_with_different_bytes_is_never_replaced(collect, simple):
    first = jpeg((1, 2, 3))
    post(collect, multipart(simple_xml("uuid:6"), ("a.jpg", first)))

    response = post(collect, multipart(simple_xml("uuid:6"), ("a.jpg", jpeg((250, 250, 250)))))

    assert response.status_code == 409
    attachment = Submission.objects.get().attachments.get()
    assert default_storage.open(attachment.file.name).read() == first


def test_edit_makes_a_new_version_and_keeps_the_old(collect, simple):
    post(collect, multipart(simple_xml("uuid:old"), ("a.jpg", jpeg())))

    response = post(collect, multipart(simple_xml("uuid:new", name="Wang", deprecated="uuid:old")))

    assert response.status_code == 201
    old, new = (
        Submission.objects.get(instance_id="uuid:old"),
        Submission.objects.get(instance_id="uuid:new"),
    )
    assert (old.is_current, new.is_current) == (False, True)
    assert new.supersedes == old
    assert new.review_state == ReviewState.EDITED
    # The photo was not sent again: it is carried over.
    assert new.attachments.get().sha256 == old.attachments.get().sha256
    assert new.complete


def test_edit_resent_is_idempotent_and_second_edit_of_old_is_409(collect, simple):
    post(collect, multipart(simple_xml("uuid:o")))
    edit = simple_xml("uuid:n", name="W", deprecated="uuid:o")
    post(collect, multipart(edit))

    again = post(collect, multipart(edit))
    usurper = post(collect, multipart(simple_xml("uuid:z", name="Z", deprecated="uuid:o")))

    assert again.status_code == 201
    assert usurper.status_code == 409
    assert Submission.objects.count() == 2


def test_edit_of_unknown_submission_is_404(collect, simple):
    response = post(collect, multipart(simple_xml("uuid:n2", deprecated="uuid:never")))

    assert response.status_code == 404
    assert message(response)


def test_resending_the_superseded_original_is_409(collect, simple):
    original = simple_xml("uuid:orig")
    post(collect, multipart(original))
    post(collect, multipart(simple_xml("uuid:edit", name="X", deprecated="uuid:orig")))

    assert post(collect, multipart(original)).status_code == 409


def test_prefixed_meta_is_read_like_plain(collect, simple):
    xml = simple_xml("uuid:px", prefix=True)

    assert post(collect, multipart(xml)).status_code == 201
    assert post(collect, multipart(xml)).status_code == 201
    assert Submission.objects.get().instance_id == "uuid:px"


def test_unicode_attachment_names_survive(collect, simple):
    response = post(
        collect, multipart(simple_xml("uuid:u", photo="fotó_ü.jpg"), ("fotó_ü.jpg", jpeg()))
    )

    assert response.status_code == 201
    assert Submission.objects.get().attachments.get().state == AttachmentState.RECEIVED


@pytest.mark.parametrize(
    ("xml", "status"),
    [
        (b"<test", 400),
        (b'<data version="1"><meta><instanceID>uuid:x</instanceID></meta></data>', 400),
        (b'<data id="simple" version="1"><name/></data>', 400),
        (b'<data id="nope"><meta><instanceID>uuid:x</instanceID></meta></data>', 404),
        (b'<data id="simple" version="9"><meta><instanceID>uuid:x</instanceID></meta></data>', 404),
        (b'<!DOCTYPE d [<!ENTITY e "x">]><data id="simple">&e;</data>', 400),
    ],
)
def test_bad_submissions_get_4xx_with_a_message(collect, simple, xml, status):
    response = post(collect, multipart(xml))

    assert response.status_code == status
    assert message(response)
    assert not Submission.objects.exists()


def test_missing_xml_part_is_400(collect, simple):
    response = post(collect, {"a.jpg": multipart(b"", ("a.jpg", b"x"))["a.jpg"]})

    assert response.status_code == 400
    assert "xml_submission_file" in message(response)


def test_non_multipart_body_is_400(collect, simple):
    response = collect("post", "submission", data=simple_xml(), content_type="text/xml")

    assert response.status_code == 400


def test_closed_form_is_409_closing_still_accepts(collect, simple):
    form_set_state(form=simple.form, state=FormState.CLOSING)
    assert post(collect, multipart(simple_xml("uuid:c1"))).status_code == 201

    form_set_state(form=simple.form, state=FormState.CLOSED)
    response = post(collect, multipart(simple_xml("uuid:c2")))

    assert response.status_code == 409
    assert "not accepting" in message(response)


def test_older_published_version_still_accepted(collect, simple, project, alice):
    form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE_V2.encode()), published_by=alice
    )

    assert post(collect, multipart(simple_xml("uuid:v1", version="1"))).status_code == 201


def test_too_large_body_is_413_with_a_message(collect, simple, settings):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 1000

    response = post(collect, multipart(simple_xml("uuid:big"), ("a.jpg", b"x" * 5000)))

    assert response.status_code == 413
    assert message(response)


def test_parts_totalling_exactly_the_announced_limit_are_accepted(collect, simple, settings):
    # Collect counts the XML and the files against X-OpenRosa-Accept-Content-Length; the
    # multipart framing around them makes the request itself longer than the limit.
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 5000
    xml = simple_xml("uuid:edge")
    photo = b"x" * (5000 - len(xml))

    response = post(collect, multipart(xml, ("a.jpg", photo)))

    assert response.status_code == 201
    assert int(response.request["CONTENT_LENGTH"]) > 5000
    assert Submission.objects.get().attachments.get().size == len(photo)


def test_parts_one_byte_over_the_announced_limit_are_413(collect, simple, settings):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 5000
    xml = simple_xml("uuid:edge")

    response = post(collect, multipart(xml, ("a.jpg", b"x" * (5001 - len(xml)))))

    assert response.status_code == 413
    assert message(response)
    assert not Submission.objects.exists()


def test_a_request_longer_than_the_limit_and_its_framing_is_refused_unread(
    collect, simple, settings
):
    settings.OPENROSA_MAX_SUBMISSION_BYTES = 1000
    length = str(1000 + MULTIPART_ALLOWANCE + 1)

    response = collect(
        "post", "submission", data=multipart(simple_xml("uuid:long")), CONTENT_LENGTH=length
    )

    assert response.status_code == 413


def test_broken_photo_is_stored_and_marked_not_lost(collect, simple):
    response = post(collect, multipart(simple_xml("uuid:bad"), ("a.jpg", b"not really a jpeg")))

    assert response.status_code == 201
    attachment = Submission.objects.get().attachments.get()
    assert attachment.state == AttachmentState.RECEIVED
    assert attachment.image_ok is False
    assert attachment.image_problem == "not an image"


def test_decompression_bomb_is_marked(collect, simple, monkeypatch):
    # A camera photo is decoded by the evidence checks; a drawn image by the image check.
    monkeypatch.setattr("backend.media.photos.MAX_PIXELS", 100)
    monkeypatch.setattr("backend.submissions.images.MAX_PIXELS", 100)

    post(collect, multipart(simple_xml("uuid:bomb"), ("a.jpg", jpeg(size=(64, 48)))))

    attachment = Submission.objects.get().attachments.get()
    assert (attachment.image_ok, attachment.image_problem) == (
        False,
        "image too large: 64x48 pixels",
    )


def test_missing_photo_is_tracked_until_it_arrives(collect, simple):
    post(collect, multipart(simple_xml("uuid:m")))
    submission = Submission.objects.get()
    assert not submission.complete
    assert submission.attachments.get().state == AttachmentState.EXPECTED

    post(collect, multipart(simple_xml("uuid:m"), ("a.jpg", jpeg())))

    submission.refresh_from_db()
    assert submission.complete


def test_weird_date_header_is_ignored(collect, simple):
    response = collect(
        "post", "submission", data=multipart(simple_xml()), headers={"Date": "garbage"}
    )

    assert response.status_code == 201


def test_submission_query_count(collect, simple, django_assert_max_num_queries):
    # Intake and, because tests run tasks immediately, the post-processing too: the evidence
    # checks (photo row, visit row, duplicate and travel lookups, flags) take 15 of these, and
    # read the form's XForm once for its field map (cached from then on; each test starts cold).
    with django_assert_max_num_queries(41):
        post(collect, multipart(simple_xml("uuid:q"), ("a.jpg", jpeg())))
