import base64
import json
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from backend.accounts.models import DeviceToken
from backend.accounts.provisioning import collect_settings, qr_text
from tests.sync.conftest import COLLECT_HEADERS


def decode(text: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


def test_qr_text_decodes_the_way_collect_does(project, bob):
    settings = collect_settings(
        server_url="http://h/key/t/projects/demo", user=bob, project=project
    )

    decoded = decode(qr_text(settings))

    assert decoded == settings
    assert {"general", "admin"} <= set(decoded)
    assert decoded["general"]["server_url"] == "http://h/key/t/projects/demo"
    assert decoded["general"]["form_update_mode"] == "match_exactly"
    assert decoded["admin"]["change_server"] is False
    assert "password" not in decoded["general"]
    assert decoded["project"]["name"] == "Demo project"


def test_command_issues_a_working_token_and_writes_the_png(project, bob, tmp_path, capsys):
    png = tmp_path / "bob.png"

    call_command("device_qr", user="bob", project="demo", png=png, label="Redmi")

    out = capsys.readouterr().out
    url = out.split("ODK Collect server URL: ")[1].split()[0]
    assert png.read_bytes().startswith(b"\x89PNG")
    text = out.split("QR code text: ")[1].split()[0]
    assert decode(text)["general"]["server_url"] == url
    token = DeviceToken.objects.get()
    assert (token.user, token.label) == (bob, "Redmi")
    path = url.removeprefix("http://127.0.0.1:8000")
    response = Client().get(f"{path}/formList", headers=COLLECT_HEADERS)
    assert response.status_code == 200


def test_command_prints_only_json_on_stdout_on_request(project, bob, capsys, tmp_path):
    png = tmp_path / "bob.png"

    call_command("device_qr", user="bob", project="demo", json=True, png=png)

    captured = capsys.readouterr()
    settings = json.loads(captured.out)
    assert settings["admin"]["change_server"] is False
    url = captured.err.split("ODK Collect server URL: ")[1].split()[0]
    assert settings["general"]["server_url"] == url
    assert f"QR code image written to {png}" in captured.err
    assert "keep the QR code like a password" in captured.err
    assert png.read_bytes().startswith(b"\x89PNG")


def test_command_without_json_prints_everything_on_stdout(project, bob, capsys):
    call_command("device_qr", user="bob", project="demo")

    captured = capsys.readouterr()
    assert "ODK Collect server URL: " in captured.out
    assert "QR code text: " in captured.out
    assert captured.err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"user": "ghost", "project": "demo"}, "no active user named 'ghost'"),
        ({"user": "bob", "project": "nope"}, "no project with slug 'nope'"),
        ({"user": "mallory", "project": "demo"}, "mallory has no role in project demo"),
    ],
)
def test_bad_arguments_are_refused(project, bob, mallory, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("device_qr", **args)


def test_admin_issues_a_token_and_shows_its_qr_once(project, bob, admin_client):
    response = admin_client.post(
        "/admin/accounts/devicetoken/add/", {"user": bob.pk, "project": project.pk, "label": "Li"}
    )

    assert response.status_code == 200
    assert b"data:image/png;base64," in response.content
    assert DeviceToken.objects.get().label == "Li"


def test_admin_revokes_tokens(project, bob, admin_client, capsys):
    call_command("device_qr", user="bob", project="demo")
    url = capsys.readouterr().out.split("ODK Collect server URL: ")[1].split()[0]
    token = DeviceToken.objects.get()

    admin_client.post(
        "/admin/accounts/devicetoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    path = url.removeprefix("http://127.0.0.1:8000")
    assert Client().get(f"{path}/formList", headers=COLLECT_HEADERS).status_code == 403
