import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.env import env_bool, env_int, env_list, env_networks, env_secret, env_str


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a, b,,c")

    assert env_bool("X_BOOL", default=False) is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a", "b", "c"]
    assert env_str("X_UNSET", "fallback") == "fallback"


def test_file_variant_is_read_for_docker_secrets(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_KEY_FILE", str(secret))

    assert env_secret("X_KEY") == "s3cret"


@pytest.mark.parametrize(
    ("reader", "value"),
    [(lambda: env_bool("X_BAD", default=True), "maybe"), (lambda: env_int("X_BAD", 0), "ten")],
)
def test_bad_values_refuse_to_start(monkeypatch, reader, value):
    monkeypatch.setenv("X_BAD", value)

    with pytest.raises(ImproperlyConfigured, match="X_BAD"):
        reader()


def test_missing_secret_refuses_to_start(monkeypatch):
    monkeypatch.delenv("X_NONE", raising=False)

    with pytest.raises(ImproperlyConfigured, match="X_NONE"):
        env_secret("X_NONE")


def test_networks_are_read_as_cidr(monkeypatch):
    monkeypatch.setenv("X_NETS", "10.0.0.0/8, 127.0.0.1,::1")

    assert env_networks("X_NETS") == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]


def test_a_bad_network_refuses_to_start(monkeypatch):
    monkeypatch.setenv("X_NETS", "10.0.0.0/8,nginx")

    with pytest.raises(ImproperlyConfigured, match="X_NETS must list addresses or networks"):
        env_networks("X_NETS")
