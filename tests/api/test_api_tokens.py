import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backend.accounts.models import ApiToken
from backend.accounts.services import api_token_issue
from backend.core.errors import InvalidInput


def test_a_signed_in_user_creates_a_token_and_uses_it(client, bob):
    client.force_login(bob)

    response = client.post(
        reverse("api:create_api_token"),
        {"name": "monthly report", "expires_in_days": 30},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    assert secret.startswith("hv_")
    assert body["prefix"] == secret[:7]
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)
    me = Client().get(reverse("api:me"), headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["username"] == "bob"
    assert me.json()["authenticated_with"] == "token"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_the_token_list_never_shows_secrets(client, bob):
    api_token_issue(user=bob, name="one")
    client.force_login(bob)

    [listed] = client.get(reverse("api:list_api_tokens")).json()

    assert listed["name"] == "one"
    assert "token" not in listed
    assert "digest" not in listed


def test_a_token_cannot_create_another(bob):
    _, secret = api_token_issue(user=bob, name="script")

    response = Client().post(
        reverse("api:create_api_token"),
        {"name": "more"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize(
    "header",
    ["Bearer hv_not-a-token", "Bearer ", "Basic Ym9iOnNlY3JldA==", "Token x"],
)
def test_unknown_credentials_get_401(bob, header):
    response = Client().get(reverse("api:me"), headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_revoked_expired_and_inactive_tokens_stop_working(bob, alice):
    revoked, revoked_secret = api_token_issue(user=bob, name="revoked")
    expired, expired_secret = api_token_issue(
        user=bob, name="expired", expires_at=timezone.now() + timedelta(seconds=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    _, alice_secret = api_token_issue(user=alice, name="left")
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    client = Client(headers={"Authorization": f"Bearer {revoked_secret}"})

    assert (
        client.delete(reverse("api:revoke_api_token", kwargs={"token_id": revoked.pk})).status_code
        == 204
    )
    for secret in (revoked_secret, expired_secret, alice_secret):
        response = Client().get(reverse("api:me"), headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 401


def test_someone_elses_token_is_missing(client, bob, mallory):
    token, _secret = api_token_issue(user=bob, name="bob's")
    client.force_login(mallory)

    response = client.delete(reverse("api:revoke_api_token", kwargs={"token_id": token.pk}))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_writes_need_the_csrf_token(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)

    response = client.post(
        reverse("api:create_api_token"), {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("name", "expires_in"), [("  ", None), ("x" * 101, None), ("ok", timedelta(days=-1))]
)
def test_issue_refuses_bad_names_and_past_expiry(bob, name, expires_in):
    expires_at = timezone.now() + expires_in if expires_in else None

    with pytest.raises(InvalidInput):
        api_token_issue(user=bob, name=name, expires_at=expires_at)


def test_the_api_refuses_an_empty_name(client, bob):
    client.force_login(bob)

    response = client.post(
        reverse("api:create_api_token"), {"name": ""}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["details"]
