"""X-Forwarded-For and X-Forwarded-Proto are believed only from TRUSTED_PROXIES."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from backend.core.proxy import TrustedProxyMiddleware
from backend.core.requests import client_ip
from tests.sync.conftest import COLLECT_HEADERS, DEVICE

FORM_LIST = f"/projects/demo/formList?{DEVICE}"
CLAIMS = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}


def _seen(remote_addr: str, **headers: str) -> HttpRequest:
    """The request as every view and middleware after the proxy middleware sees it."""
    seen: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers)
    TrustedProxyMiddleware(view)(request)
    return seen[0]


def test_a_direct_client_claiming_forwarded_headers_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]

    request = _seen("203.0.113.9", **CLAIMS)

    assert client_ip(request) == "203.0.113.9"
    assert not request.is_secure()
    assert "HTTP_X_FORWARDED_FOR" not in request.META
    assert "HTTP_X_FORWARDED_PROTO" not in request.META


def test_the_proxys_claim_is_believed(settings):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]

    request = _seen("172.18.0.5", **CLAIMS)

    assert client_ip(request) == "198.51.100.7"
    assert request.is_secure()


def test_loopback_is_trusted_by_default(settings):
    assert settings.TRUSTED_PROXIES == ["127.0.0.0/8", "::1/128"]

    assert client_ip(_seen("127.0.0.1", **CLAIMS)) == "198.51.100.7"
    assert client_ip(_seen("::1", **CLAIMS)) == "198.51.100.7"


@pytest.mark.parametrize(
    ("header", "client"),
    [
        # What the client wrote left of the proxies' own entries is not believed.
        ("1.1.1.1, 198.51.100.7", "198.51.100.7"),
        ("1.1.1.1, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        ("10.0.0.3, 10.0.0.2", "10.0.0.3"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        # Junk from the proxy: its own address stands.
        ("not-an-address", "10.0.0.1"),
        ("", "10.0.0.1"),
    ],
)
def test_the_client_is_the_right_most_address_that_is_not_a_proxy(settings, header, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(_seen("10.0.0.1", **{"X-Forwarded-For": header})) == client


def test_https_claimed_by_a_direct_client_does_not_offer_basic(db):
    direct = Client(REMOTE_ADDR="203.0.113.9")

    response = direct.get(FORM_LIST, headers={**COLLECT_HEADERS, **CLAIMS})

    assert response.status_code == 401
    assert "Basic" not in response["WWW-Authenticate"]


def test_https_said_by_the_proxy_offers_basic(db):
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    response = proxy.get(FORM_LIST, headers={**COLLECT_HEADERS, **CLAIMS})

    assert response.status_code == 401
    assert "Basic" in response["WWW-Authenticate"]
