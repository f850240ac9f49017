import hashlib
from xml.etree import ElementTree

from django.test import Client

from forms.models import Form, FormState
from forms.services import Upload, form_publish, form_set_state
from tests.forms import mdforms
from tests.sync.conftest import COLLECT_HEADERS

NS = "{http://openrosa.org/xforms/xformsList}"


def entries(response):
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{NS}xforms"
    return [{child.tag.removeprefix(NS): child.text or "" for child in x} for x in root]


def test_lists_open_forms_with_collect_headers(collect, simple, visit):
    response = collect("get", "formList")

    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"].startswith("text/xml")
    listed = {e["formID"]: e for e in entries(response)}
    assert set(listed) == {"simple", "hh_visit"}
    assert listed["simple"]["hash"] == f"md5:{simple.md5}"
    assert listed["simple"]["version"] == "1"
    assert "manifestUrl" not in listed["simple"]
    assert listed["hh_visit"]["manifestUrl"].startswith("http://testserver/key/")


def test_every_child_is_in_the_list_namespace(collect, simple):
    root = ElementTree.fromstring(collect("get", "formList").content)

    assert all(element.tag.startswith(NS) for element in root.iter())


def test_hash_is_md5_of_the_downloaded_bytes(collect, simple):
    (entry,) = entries(collect("get", "formList"))

    download = collect("get", entry["downloadUrl"].removeprefix("http://testserver"))

    assert download.status_code == 200
    assert entry["hash"] == "md5:" + hashlib.md5(download.content).hexdigest()
    again = collect("get", entry["downloadUrl"].removeprefix("http://testserver"))
    assert again.content == download.content


def test_form_id_filter(collect, simple, visit):
    only = entries(collect("get", "formList?formID=simple"))
    none = entries(collect("get", "formList?formID=nope"))

    assert [e["formID"] for e in only] == ["simple"]
    assert none == []


def test_unknown_parameters_are_ignored(collect, simple):
    assert collect("get", "formList?verbose=true&listAllVersions=true&x=1").status_code == 200


def test_closing_and_closed_forms_are_not_listed(collect, simple, visit):
    form_set_state(form=simple.form, state=FormState.CLOSING)
    form_set_state(form=visit.form, state=FormState.CLOSED)

    assert entries(collect("get", "formList")) == []


def test_titles_and_ids_are_escaped(collect, project, alice):
    md = mdforms.SIMPLE.replace(
        "| simple  | 1       | Simple form |", "| a&b     | 1       | A & B <ü>   |"
    )
    form_publish(project=project, source=Upload("f.md", md.encode()), published_by=alice)

    (entry,) = entries(collect("get", "formList"))

    assert entry["name"] == "A & B <ü>"
    assert b"A &amp; B &lt;\xc3\xbc&gt;" in collect("get", "formList").content
    download = collect("get", entry["downloadUrl"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert b'id="a&amp;b"' in download.content


def test_ids_with_spaces_question_marks_and_unicode_are_downloadable(collect, project, alice):
    md = mdforms.SIMPLE.replace("| simple  |", "| Flat test? #1 é |")
    form_publish(project=project, source=Upload("f.md", md.encode()), published_by=alice)

    (entry,) = entries(collect("get", "formList"))

    assert entry["formID"] == "Flat test? #1 é"
    download = collect("get", entry["downloadUrl"].removeprefix("http://testserver"))
    assert download.status_code == 200


def test_a_stored_form_id_no_url_can_carry_leaves_the_rest_of_the_list(collect, simple):
    # Publishing refuses such ids (tests/forms/test_form_ids.py); one stored all the same must
    # not take the whole project's form list down with it.
    Form.objects.filter(pk=simple.form_id).update(xml_form_id="survey/2026")
    form_publish(
        project=simple.form.project,
        source=Upload("f.md", mdforms.SIMPLE.replace("| simple  |", "| other   |").encode()),
        published_by=simple.published_by,
    )

    response = collect("get", "formList")

    assert response.status_code == 200
    assert [e["formID"] for e in entries(response)] == ["other"]


def test_new_version_changes_hash_and_version(collect, simple, project, alice):
    before = entries(collect("get", "formList"))[0]
    form_publish(
        project=project, source=Upload("f.md", mdforms.SIMPLE_V2.encode()), published_by=alice
    )

    after = entries(collect("get", "formList"))[0]

    assert (after["version"], before["version"]) == ("2", "1")
    assert after["hash"] != before["hash"]


def test_no_credentials_gets_a_digest_challenge(client, simple):
    response = client.get("/projects/demo/formList", headers=COLLECT_HEADERS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Digest realm="household-visits", qop="auth"')
    assert "Basic" not in response["WWW-Authenticate"]  # Collect ignores Basic over plain HTTP
    assert b"OpenRosaResponse" in response.content


def test_basic_is_offered_over_https(simple):
    response = Client().get("/projects/demo/formList", headers=COLLECT_HEADERS, secure=True)

    assert 'Basic realm="household-visits"' in response["WWW-Authenticate"]


def test_missing_version_header_is_400(bob_token, simple):
    response = Client().get(f"/key/{bob_token}/projects/demo/formList")

    assert response.status_code == 400
    assert b"X-OpenRosa-Version" in response.content


def test_outsider_token_gets_404_for_another_project(collect, simple):
    response = collect("get", "/key/" + "x" * 64 + "/projects/demo/formList")

    assert response.status_code == 403


def test_form_list_query_count_does_not_grow_with_forms(
    collect, simple, visit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        collect("get", "formList")
