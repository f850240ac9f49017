"""Forms without meta/instanceID (hand-written XForms): their submissions are accepted with an
instanceID the server makes, and a retry of the same bytes is still the same submission."""

from django.test import Client

from backend.accounts.services import device_token_issue
from backend.submissions.models import Submission
from forms.services import Upload, form_publish
from tests.sync.conftest import COLLECT_HEADERS, DEVICE
from tests.sync.submissions import multipart

XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
  <h:head>
    <h:title>No instance id</h:title>
    <model>
      <instance><data id="bare" version="1"><name/></data></instance>
      <bind nodeset="/data/name" type="string"/>
    </model>
  </h:head>
  <h:body><input ref="/data/name"><label>Name</label></input></h:body>
</h:html>
"""
FILLED = b'<data id="bare" version="1"><name>Li</name></data>'


def publish(project, alice):
    return form_publish(
        project=project, source=Upload("bare.xml", XFORM.encode()), published_by=alice
    ).version


def test_a_submission_without_instance_id_gets_one_from_the_server(collect, project, alice):
    publish(project, alice)

    response = collect("post", "submission", data=multipart(FILLED))

    assert response.status_code == 201
    submission = Submission.objects.get()
    assert submission.instance_id.startswith("uuid:")
    assert submission.instance_id_assigned is True
    assert submission.xml.encode() == FILLED  # kept as sent


def test_the_same_bytes_sent_again_are_the_same_submission(collect, project, alice):
    publish(project, alice)

    first = collect("post", "submission", data=multipart(FILLED))
    again = collect("post", "submission", data=multipart(FILLED))

    assert (first.status_code, again.status_code) == (201, 201)
    assert Submission.objects.count() == 1


def test_other_answers_are_another_submission(collect, project, alice):
    publish(project, alice)

    collect("post", "submission", data=multipart(FILLED))
    collect("post", "submission", data=multipart(FILLED.replace(b"Li", b"Wang")))

    assert Submission.objects.count() == 2


def test_the_same_answers_from_another_phone_are_another_submission(collect, project, alice, bob):
    publish(project, alice)
    _, second_phone = device_token_issue(user=bob, project=project, label="Bob's other phone")

    collect("post", "submission", data=multipart(FILLED))
    response = Client().post(
        f"/key/{second_phone}/projects/demo/submission?{DEVICE}",
        data=multipart(FILLED),
        headers=COLLECT_HEADERS,
    )

    assert response.status_code == 201
    assert Submission.objects.count() == 2


def test_the_assigned_id_is_shown_as_such_by_the_api(collect, client, project, alice):
    publish(project, alice)
    collect("post", "submission", data=multipart(FILLED))
    client.force_login(alice)

    (listed,) = client.get("/api/v1/projects/demo/submissions").json()["results"]

    assert listed["instance_id_assigned"] is True


def test_a_form_that_declares_instance_id_still_needs_it(collect, simple):
    response = collect(
        "post", "submission", data=multipart(b'<data id="simple" version="1"><name/></data>')
    )

    assert response.status_code == 400
    assert b"instanceID" in response.content
    assert not Submission.objects.exists()
