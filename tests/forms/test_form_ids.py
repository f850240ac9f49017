"""Form ids are one segment of every URL that names a form (forms/form_ids.py): an id no URL
can carry is refused at publishing, with the rule in the admin's language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms.form_ids import is_addressable, unsafe_characters
from forms.models import Form
from forms.services import Upload, form_publish
from tests.forms import mdforms

SLASHED = mdforms.SIMPLE.replace("| simple  |", "| survey/2026 |")
XFORM = (
    '<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">'
    "<h:head><h:title>T</h:title><model><instance>"
    '<data id="a\\b" version="1"><q/><meta><instanceID/></meta></data>'
    "</instance></model></h:head><h:body/></h:html>"
)


def publish(client, name: str, text: str, language: str = "en"):
    url = reverse("api:publish_form", kwargs={"slug": "demo"})
    upload = SimpleUploadedFile(name, text.encode("utf-8"))
    return client.post(url, {"file": upload}, headers={"Accept-Language": language})


@pytest.mark.parametrize(
    ("form_id", "ok"),
    [
        ("simple", True),
        ("Phone 2011-02-04_00-09-18", True),
        ("one_questión", True),
        ("a:b+c(1)", True),
        ("survey/2026", False),
        ("a\\b", False),
        ("a\tb", False),
        (".", False),
        ("..", False),
        ("", False),
    ],
)
def test_which_form_ids_a_url_can_carry(form_id, ok):
    assert is_addressable(form_id) is ok


def test_unsafe_characters_are_named_once_each():
    assert unsafe_characters("a/b/c\\d") == ["/", "\\"]


def test_a_slash_in_form_id_is_refused_naming_the_id_and_the_rule(client, alice):
    client.force_login(alice)

    response = publish(client, "survey.md", SLASHED)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "form.invalid"
    assert "survey/2026" in body["message"]
    assert "letters, digits, spaces and punctuation" in body["message"]
    assert "form_id in the settings sheet" in body["message"]
    assert not Form.objects.exists()


def test_the_refusal_is_in_the_admins_language(client, alice):
    client.force_login(alice)

    response = publish(client, "survey.md", SLASHED, language="zh-hans")

    assert response.status_code == 400
    message = response.json()["message"]
    assert "survey/2026" in message
    assert "表单编号" in message
    assert "settings" in message


def test_an_xforms_bad_id_names_the_instances_id_attribute(client, alice):
    client.force_login(alice)

    response = publish(client, "a.xml", XFORM)

    assert response.status_code == 400
    message = response.json()["message"]
    assert "a\\b" in message
    assert "id attribute" in message
    assert "settings sheet" not in message


def test_the_forms_page_lists_a_stored_id_no_url_can_carry_without_a_link(client, project, alice):
    version = form_publish(
        project=project,
        source=Upload("f.md", mdforms.SIMPLE.encode()),
        published_by=alice,
    ).version
    Form.objects.filter(pk=version.form_id).update(xml_form_id="survey/2026")
    client.force_login(alice)

    response = client.get(reverse("forms:list", args=["demo"]))

    assert response.status_code == 200
    assert "survey/2026" in response.content.decode()
