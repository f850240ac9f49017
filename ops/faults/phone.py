"""One ODK Collect phone: OpenRosa requests over a keep-alive connection, signed with Digest as
Collect signs them once the server has challenged it, each answer recorded with its times."""

from __future__ import annotations

import hashlib
import http.client
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import parse_http_list, parse_keqv_list

from ops.smoke_client import DEVICE, collect_headers

# What a request that got no answer raises: refused, reset, closed early, timed out.
_NO_ANSWER = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Answer:
    """The server's answer to one request; status 0 when there was none (the connection was
    refused, reset or timed out), with the reason in `detail`."""

    method: str
    status: int
    started: float  # time.monotonic()
    ended: float
    detail: str = ""

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def is_5xx(self) -> bool:
        return self.status >= 500


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # the Digest scheme Collect speaks


class Digest:
    """RFC 7616 with MD5 and qop=auth, as Collect answers a challenge: the nonce is kept and
    reused; every request gets a new client nonce, so each one counts from 1."""

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.challenge: dict[str, str] | None = None

    def learn(self, www_authenticate: str) -> bool:
        """Keep the server's Digest challenge; False when the answer had none."""
        scheme, _, params = www_authenticate.partition(" ")
        if scheme.lower() != "digest":
            return False
        # A Basic challenge may follow the Digest one (over HTTPS): keep the Digest part.
        self.challenge = parse_keqv_list(
            [p for p in parse_http_list(params) if "=" in p and not p.startswith("Basic")]
        )
        return True

    def header(self, method: str, uri: str) -> str | None:
        if self.challenge is None:
            return None
        realm, nonce = self.challenge["realm"], self.challenge["nonce"]
        cnonce, count = uuid.uuid4().hex, "00000001"
        ha1 = _md5(f"{self.username}:{realm}:{self.password}")
        ha2 = _md5(f"{method}:{uri}")
        response = _md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
        return (
            f'Digest username="{self.username}", realm="{realm}", nonce="{nonce}", '
            f'uri="{uri}", qop=auth, nc={count}, cnonce="{cnonce}", response="{response}", '
            f'opaque="{self.challenge.get("opaque", "")}", algorithm=MD5'
        )


class Phone:
    """A phone set up with the server URL of a project (http://host:port/projects/<slug>)."""

    def __init__(self, server: str, username: str, password: str, timeout: float = 60) -> None:
        parts = urlsplit(server)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.path = parts.path.rstrip("/")
        self.timeout = timeout
        self.digest = Digest(username, password)
        self.conn: http.client.HTTPConnection | None = None

    def send(
        self, method: str, endpoint: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        """One request to an endpoint of the project (`submission`, `formList`), or to a path
        of the server (`/health`); a Digest challenge is answered once, as Collect does."""
        uri = endpoint if endpoint.startswith("/") else f"{self.path}/{endpoint}?{DEVICE}"
        started = time.monotonic()
        for _ in range(2):
            try:
                status, challenge = self._exchange_once_more_if_stale(
                    method, uri, body, content_type
                )
            except _NO_ANSWER as error:
                self.close()
                detail = f"{type(error).__name__}: {error}"
                return Answer(method, 0, started, time.monotonic(), detail)
            if status != 401 or not self.digest.learn(challenge):
                break
        return Answer(method, status, started, time.monotonic())

    def _exchange_once_more_if_stale(
        self, method: str, uri: str, body: bytes | None, content_type: str
    ) -> tuple[int, str]:
        # A kept-alive connection the server closed while it was idle fails at once; Collect's
        # HTTP client (OkHttp) then sends again on a new one, and so does this phone. A request
        # that fails on a new connection is a fault, and is the caller's to see.
        reused = self.conn is not None
        try:
            return self._exchange(method, uri, body, content_type)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
        return self._exchange(method, uri, body, content_type)

    def _exchange(
        self, method: str, uri: str, body: bytes | None, content_type: str
    ) -> tuple[int, str]:
        headers = collect_headers()
        if content_type:
            headers["Content-Type"] = content_type
        signed = self.digest.header(method, uri)
        if signed is not None:
            headers["Authorization"] = signed
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.request(method, uri, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        if response.will_close:
            self.close()
        return response.status, response.getheader("WWW-Authenticate", "")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
