"""The client's address and scheme, taken from the reverse proxy's headers only when the request
comes from that proxy (TRUSTED_PROXIES, docs/security.md#behind-a-proxy).

Anyone who reaches the app directly could send X-Forwarded-For and X-Forwarded-Proto: believed,
they would let a client pose as another address (and lock it out of signing in) or as HTTPS (and
be offered Basic). So the headers are rewritten here once, before anything reads them:
REMOTE_ADDR becomes the client the proxy names, and both headers are dropped when the immediate
peer is not a trusted proxy. Everything after (Django's is_secure via SECURE_PROXY_SSL_HEADER,
the sign-in lockout, the access log) reads the result.
"""

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in spec)


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def forwarded_client(header: str, networks: tuple[Network, ...]) -> Address | None:
    """The client a chain of trusted proxies names: the right-most address in X-Forwarded-For
    that is not itself a trusted proxy (the ones left of it were written by the client)."""
    hops = [_address(part) for part in header.split(",")] if header.strip() else []
    client = None
    for hop in reversed(hops):
        if hop is None:
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return client


def resolve_client(meta: dict[str, Any], networks: tuple[Network, ...]) -> None:
    """Rewrite REMOTE_ADDR from the proxy's header, or drop the headers of an untrusted peer."""
    peer = _address(str(meta.get("REMOTE_ADDR", "")))
    if peer is None or not _trusted(peer, networks):
        for name in _FORWARDED:
            meta.pop(name, None)
        return
    client = forwarded_client(str(meta.get("HTTP_X_FORWARDED_FOR", "")), networks)
    meta["REMOTE_ADDR"] = str(client or peer)


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: every later reader sees the real client (no I/O, a few compares)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        resolve_client(request.META, _networks(tuple(settings.TRUSTED_PROXIES)))
        return self.get_response(request)
