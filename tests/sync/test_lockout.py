"""Failed Digest and Basic passwords are counted and locked out like the web sign-in's: per user
name on one address, and per address; a locked request is refused before any password check."""

import io

from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory
from tests.sync.conftest import COLLECT_HEADERS, basic
from tests.sync.test_auth import (
    FORM_LIST,
    PASSWORD,
    assert_openrosa_error,
    digest_header,
    first_challenge,
    headers_with,
)

ATTACKER = "203.0.113.9"
BOBS_PHONE = "198.51.100.20"


class CountingHasher(MD5PasswordHasher):
    """The tests' MD5 hasher, counting the passwords it checks."""

    checked = 0

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.checked += 1
        return super().verify(password, encoded)


def _digest(client: Client, password: str, *, username: str = "bob", **headers: str):
    challenge = first_challenge(client)
    header = digest_header("GET", FORM_LIST, challenge, username=username, password=password)
    return client.get(FORM_LIST, headers={**headers_with(header), **headers})


def _basic(client: Client, username: str, password: str):
    headers = {**COLLECT_HEADERS, "Authorization": basic(username, password)}
    return client.get(FORM_LIST, headers=headers, secure=True)


def _lock_bob(client: Client, settings, **headers: str) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        assert _digest(client, "guess", **headers).status_code == 401


def test_wrong_digest_passwords_lock_the_user_on_that_address(bob, simple, settings):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _lock_bob(attacker, settings)

    refused = _digest(attacker, PASSWORD)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.LOGIN_LOCKOUT_SECONDS)
    assert "Too many failed attempts" in assert_openrosa_error(refused)
    attempt = AccessAttempt.objects.get(username="bob")
    assert (attempt.ip_address, attempt.failures_since_start) == (ATTACKER, 3)
    # The attacker cannot lock bob out everywhere: his own phone still signs in.
    assert _digest(Client(REMOTE_ADDR=BOBS_PHONE), PASSWORD).status_code == 200


def test_an_admin_on_digest_is_locked_the_same_way(simple, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    settings.AXES_FAILURE_LIMIT = 2
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        assert _digest(attacker, "guess", username="root").status_code == 401

    assert _digest(attacker, PASSWORD, username="root").status_code == 429


def test_an_address_guessing_many_user_names_is_locked_for_all(bob, simple, settings):
    settings.LOGIN_ADDRESS_MAX_ATTEMPTS = 3
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for name in ("ann", "ben", "cat"):
        assert _digest(attacker, "guess", username=name).status_code == 401

    assert _digest(attacker, PASSWORD).status_code == 429
    assert _digest(Client(REMOTE_ADDR=BOBS_PHONE), PASSWORD).status_code == 200


def test_wrong_basic_passwords_count_and_a_locked_address_is_refused_before_hashing(
    bob, simple, settings
):
    settings.LOGIN_ADDRESS_MAX_ATTEMPTS = 3
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checked = 0
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        assert _basic(attacker, "bob", "guess").status_code == 401
    assert CountingHasher.checked == 3

    refused = _basic(attacker, "bob", PASSWORD)

    assert refused.status_code == 429
    assert CountingHasher.checked == 3
    assert AccessAttempt.objects.get(username="bob").failures_since_start == 3
    assert _basic(Client(REMOTE_ADDR=BOBS_PHONE), "bob", PASSWORD).status_code == 200


def test_behind_the_proxy_each_client_is_counted_apart(bob, simple, settings):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    _lock_bob(proxy, settings, **{"X-Forwarded-For": ATTACKER})

    assert _digest(proxy, PASSWORD, **{"X-Forwarded-For": ATTACKER}).status_code == 429
    assert _digest(proxy, PASSWORD, **{"X-Forwarded-For": BOBS_PHONE}).status_code == 200
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_a_direct_client_cannot_pose_as_another_address(bob, simple, settings):
    _lock_bob(Client(REMOTE_ADDR=ATTACKER), settings, **{"X-Forwarded-For": BOBS_PHONE})

    assert AccessAttempt.objects.get().ip_address == ATTACKER
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert _digest(proxy, PASSWORD, **{"X-Forwarded-For": BOBS_PHONE}).status_code == 200


def test_an_admin_unlocks_a_user_with_axes_reset_username(bob, simple, settings):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _lock_bob(attacker, settings)

    call_command("axes_reset_username", "bob", stdout=io.StringIO())

    assert not AccessAttempt.objects.exists()
    assert _digest(attacker, PASSWORD).status_code == 200


def test_the_lock_ends_after_the_lockout_time(bob, simple, settings, fixed_clock):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    _lock_bob(attacker, settings)
    assert _digest(attacker, PASSWORD).status_code == 429

    fixed_clock.shift(settings.LOGIN_LOCKOUT_SECONDS + 1)

    assert _digest(attacker, PASSWORD).status_code == 200
