from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forms.models import Form, FormVersion
from tests.forms import mdforms


def upload(text: str, name: str = "form.md") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")


def publish(client, slug="demo", text=mdforms.SIMPLE, headers=None, **fields):
    url = reverse("api:publish_form", kwargs={"slug": slug})
    return client.post(url, {"file": upload(text), **fields}, headers=headers)


def test_admin_publishes_an_xlsform(client, alice):
    client.force_login(alice)

    response = publish(client)

    assert response.status_code == 201
    body = response.json()
    assert body["form_id"] == "simple"
    assert body["version"] == "1"
    assert body["created"] is True
    assert body["published_by"] == "alice"
    assert body["md5"] == FormVersion.objects.get().md5
    assert any("max-pixels" in w for w in body["warnings"])
    assert Form.objects.get().current_version.version == "1"


def test_identical_republish_answers_200_not_created(client, alice):
    client.force_login(alice)
    publish(client)

    response = publish(client)

    assert response.status_code == 200
    assert response.json()["created"] is False


def test_broken_xlsform_gives_400_with_row(client, alice):
    client.force_login(alice)

    response = publish(client, text=mdforms.UNKNOWN_TYPE)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "form.invalid"
    assert "[row : 3]" in body["message"]
    assert body["details"]
    assert not Form.objects.exists()


def test_version_conflict_gives_409(client, alice):
    client.force_login(alice)
    publish(client)

    response = publish(client, text=mdforms.SIMPLE_V1_CHANGED)

    assert response.status_code == 409
    assert response.json()["code"] == "form.version_conflict"


def test_error_messages_follow_the_users_language(client, alice):
    client.force_login(alice)
    publish(client)

    response = publish(
        client, text=mdforms.SIMPLE_V1_CHANGED, headers={"Accept-Language": "zh-hans"}
    )

    assert response.status_code == 409
    assert response.json()["message"].startswith("表单 simple 的版本 1 已经以不同的内容发布过")


def test_publish_with_attachments(client, alice):
    client.force_login(alice)
    csv = SimpleUploadedFile("crops.csv", b"name,label\nmaize,Maize\n")

    response = publish(client, text=mdforms.WITH_MEDIA, attachments=[csv])

    assert response.status_code == 201
    attachments = {a["name"]: a for a in response.json()["attachments"]}
    assert attachments["crops.csv"]["present"] is True
    assert attachments["logo.png"]["present"] is False


def test_upload_attachments_later_and_list_forms(client, alice):
    client.force_login(alice)
    publish(client, text=mdforms.WITH_MEDIA)
    url = reverse("api:upload_form_attachments", kwargs={"slug": "demo", "form_id": "with_media"})

    response = client.post(url, {"files": [SimpleUploadedFile("logo.png", b"png")]})

    assert response.status_code == 200
    assert [a["name"] for a in response.json()] == ["logo.png"]
    listed = client.get(reverse("api:list_forms", kwargs={"slug": "demo"})).json()
    (form,) = listed
    assert all(
        a["present"] for a in form["current_version"]["attachments"] if a["name"] == "logo.png"
    )


def test_supervisor_lists_versions_but_cannot_publish(client, alice, sam):
    client.force_login(alice)
    publish(client)
    publish(client, text=mdforms.SIMPLE_V2)
    client.force_login(sam)

    versions = client.get(
        reverse("api:list_form_versions", kwargs={"slug": "demo", "form_id": "simple"})
    )
    refused = publish(client, text=mdforms.WITH_MEDIA)

    assert [v["version"] for v in versions.json()] == ["2", "1"]
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_field_worker_cannot_publish(client, bob):
    client.force_login(bob)

    assert publish(client).status_code == 403


def test_outsider_cannot_tell_the_project_exists(client, alice, mallory):
    client.force_login(mallory)

    existing = publish(client, slug="demo")
    missing = publish(client, slug="no-such-project")

    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()
    assert not Form.objects.exists()


def test_anonymous_gets_401(client, project):
    assert publish(client).status_code == 401


def test_admin_closes_a_form(client, alice):
    client.force_login(alice)
    publish(client)
    url = reverse("api:set_form_state", kwargs={"slug": "demo", "form_id": "simple"})

    response = client.post(url, {"state": "closed"}, content_type="application/json")
    bad = client.post(url, {"state": "gone"}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    assert bad.status_code == 400
    assert Form.objects.get().state == "closed"


def test_unknown_form_is_404(client, alice):
    client.force_login(alice)
    url = reverse("api:get_form", kwargs={"slug": "demo", "form_id": "nope"})

    assert client.get(url).status_code == 404
