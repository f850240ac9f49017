"""Who is calling: a device token in the URL, or a username and password (Digest; Basic over
HTTPS). How it stays fast and safe is explained in docs/openrosa.md#authentication; failed
passwords are counted and locked out like the web sign-in's (backend/accounts/lockout.py)."""

import base64
import binascii
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from urllib.parse import unquote
from urllib.request import parse_http_list, parse_keqv_list

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.cache import cache
from django.http import HttpRequest

from backend.accounts.lockout import sign_in_check, sign_in_failed
from backend.accounts.models import DeviceToken, User
from backend.accounts.selectors import device_token_for_secret, user_by_id, user_for_login
from backend.accounts.services import device_token_touch, user_remember_digest

_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43,128}$")


@dataclass(frozen=True)
class Caller:
    user: User
    device_token: DeviceToken | None = None


class AuthRequired(Exception):
    """Answer 401 with a fresh challenge (stale=true when only the nonce was too old)."""

    def __init__(self, *, stale: bool = False) -> None:
        super().__init__("authentication required")
        self.stale = stale


class TokenRejected(Exception):
    """A well-formed token that is unknown or revoked: 403, so Collect does not ask for a
    password it has no use for."""


def caller_for_request(request: HttpRequest, token: str | None) -> Caller:
    """Authenticate the request or raise AuthRequired / TokenRejected."""
    if token is not None:
        return _caller_for_token(token)
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "digest":
        return Caller(user=_digest_user(request, credentials))
    if scheme.lower() == "basic" and request.is_secure():
        return Caller(user=_basic_user(request, credentials))
    raise AuthRequired


def challenge(request: HttpRequest, *, stale: bool = False) -> str:
    """The WWW-Authenticate value: Digest always, Basic too over HTTPS."""
    realm = settings.OPENROSA_REALM
    digest = (
        f'Digest realm="{realm}", qop="auth", nonce="{_new_nonce()}", opaque="{_opaque()}", '
        f"algorithm=MD5, charset=UTF-8"
    )
    if stale:
        digest += ", stale=true"
    return f'{digest}, Basic realm="{realm}", charset="UTF-8"' if request.is_secure() else digest


def _caller_for_token(secret: str) -> Caller:
    if not _TOKEN_SHAPE.match(secret):
        raise AuthRequired
    token = device_token_for_secret(secret)
    if token is None:
        raise TokenRejected
    device_token_touch(token=token)
    return Caller(user=token.user, device_token=token)


# --- Digest (RFC 7616, MD5 as Collect speaks it) ---


def _sign(text: str) -> str:
    key = f"openrosa-digest:{settings.SECRET_KEY}".encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def _new_nonce() -> str:
    # Stateless: the server can check its own nonces in any process, without a shared store.
    stamp = str(int(time.time()))
    return f"{stamp}.{_sign(stamp)}"


def _opaque() -> str:
    return _sign(f"opaque:{settings.OPENROSA_REALM}")


def _nonce_fresh(nonce: str) -> bool:
    """Raise if the nonce is not ours; say whether it is still fresh."""
    stamp, _, mac = nonce.partition(".")
    if not stamp.isdigit() or not _same(mac, _sign(stamp)):
        raise AuthRequired
    return time.time() - int(stamp) <= settings.OPENROSA_NONCE_SECONDS


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison that also takes non-ASCII junk (compare_digest on str does not)."""
    return hmac.compare_digest(expected.encode(), given.encode())


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324  the Digest scheme Collect uses


def _digest_params(credentials: str) -> dict[str, str]:
    try:
        return parse_keqv_list(parse_http_list(credentials))
    except (ValueError, IndexError):  # junk like `=` or a lone quote
        raise AuthRequired from None


def _digest_user(request: HttpRequest, credentials: str) -> User:
    params = _digest_params(credentials)
    needed = ("username", "realm", "nonce", "uri", "response", "nc", "cnonce")
    if any(not params.get(key) for key in needed) or params["realm"] != settings.OPENROSA_REALM:
        raise AuthRequired
    # Only qop=auth carries a nonce count, which is what makes a captured header useless twice;
    # without qop (RFC 2069) one header could be replayed for the nonce's whole life. Collect
    # always answers with qop=auth, which the challenge offers.
    if params.get("qop") != "auth":
        raise AuthRequired
    # The digest covers the exact request target, query included (Collect adds deviceID).
    if unquote(params["uri"]) != unquote(request.get_full_path()):
        raise AuthRequired
    fresh = _nonce_fresh(params["nonce"])
    sign_in_check(request, params["username"])
    user = user_for_login(params["username"])
    if user is None or not user.digest_ha1 or not _response_matches(request, params, user):
        sign_in_failed(request, params["username"])
        raise AuthRequired
    if not fresh:
        raise AuthRequired(stale=True)
    _check_nonce_count(params)
    return user


def _response_matches(request: HttpRequest, params: dict[str, str], user: User) -> bool:
    return _same(_expected_response(request, params, user.digest_ha1), params["response"])


def _expected_response(request: HttpRequest, params: dict[str, str], ha1: str) -> str:
    if params.get("algorithm", "MD5").upper() == "MD5-SESS":
        ha1 = _md5(f"{ha1}:{params['nonce']}:{params['cnonce']}")
    ha2 = _md5(f"{request.method}:{params['uri']}")
    return _md5(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}")


def _check_nonce_count(params: dict[str, str]) -> None:
    """Refuse a replay: a nonce's count must rise (best effort through the shared cache)."""
    try:
        count = int(params["nc"], 16)
    except ValueError:
        raise AuthRequired from None
    key = f"openrosa:nc:{_md5(params['nonce'] + params['username'] + params['cnonce'])}"
    if count <= cache.get(key, 0):
        raise AuthRequired
    cache.set(key, count, timeout=settings.OPENROSA_NONCE_SECONDS * 2)


# --- Basic (HTTPS only) ---


def _basic_user(request: HttpRequest, credentials: str) -> User:
    try:
        raw = base64.b64decode(credentials.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise AuthRequired from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # Collect encodes Basic credentials as ISO-8859-1
    username, sep, password = text.partition(":")
    if not sep:
        raise AuthRequired
    # Before the remembered pair too: a locked pair or address is refused whatever it sends.
    sign_in_check(request, username)
    # A verified pair is remembered for a few minutes: Collect sends it on every request, and a
    # password hash costs tens of milliseconds by design.
    key = f"openrosa:basic:{_sign(f'{username}:{password}')}"
    user_id = cache.get(key)
    user = user_by_id(user_id) if user_id else None
    if user is None:
        user = user_for_login(username)
        if user is None or not check_password(password, user.password):
            sign_in_failed(request, username)
            raise AuthRequired
        user_remember_digest(user=user, password=password)
        cache.set(key, user.pk, timeout=settings.OPENROSA_BASIC_CACHE_SECONDS)
    return user
