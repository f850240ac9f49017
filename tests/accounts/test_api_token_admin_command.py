import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from backend.accounts.models import ApiToken
from backend.accounts.services import api_token_issue
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(username="clerk", is_staff=True)


def test_staff_issue_their_own_token_in_the_admin_and_see_it_once(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"name": "county report"}, follow=True
    )

    secret = re.search(r"hv_[\w-]+", response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (staff, "county report")
    me = Client().get(reverse("api:me"), headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["username"] == "clerk"
    assert secret not in client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()


def test_the_admin_refuses_a_past_expiry(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"name": "x", "expires_at_0": "2001-01-01", "expires_at_1": "00:00:00"},
    )

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_staff_see_only_their_own_tokens(client, staff):
    other = UserFactory(username="other", is_staff=True)
    api_token_issue(user=other, name="theirs")
    api_token_issue(user=staff, name="mine")
    client.force_login(staff)

    page = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()

    assert "mine" in page
    assert "theirs" not in page


def test_the_command_issues_lists_and_revokes(bob, capsys):
    call_command("api_token", "--user", "bob", "--name", "nightly export", "--days", "7")
    out = capsys.readouterr().out
    token = ApiToken.objects.get()
    assert re.search(r"hv_[\w-]+", out)
    assert token.expires_at is not None

    call_command("api_token", "--user", "bob", "--list")
    assert "nightly export\tactive" in capsys.readouterr().out
    call_command("api_token", "--user", "bob", "--revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    "args",
    [
        ["--user", "nobody", "--name", "x"],
        ["--user", "bob"],
        ["--user", "bob", "--name", "  "],
        ["--user", "bob", "--name", "x", "--days", "0"],
        ["--user", "bob", "--revoke", "999"],
    ],
)
def test_the_command_refuses_bad_input(bob, args):
    with pytest.raises(CommandError):
        call_command("api_token", *args)
