#!/usr/bin/env python3
"""The client side of ops/smoke.sh: talks to nginx as ODK Collect and as a browser would.

  1. nginx answers the plain port: OpenRosa paths are not redirected, pages are (to HTTPS).
  2. Collect: households list (formList -> manifest -> CSV), HEAD then multipart POST of a visit
     with a JPEG photo, through nginx over HTTPS with the device-token URL.
  3. The task worker (not the web process) merges the household: poll the list until its
     version moves on.
  4. The photo: the project admin gets it through nginx (X-Accel-Redirect, the same bytes);
     a user without a role in the project gets 404. /health is 200 with the database queue.

Stdlib only (plus the bench's instance and JPEG builders). Exits 1 with a message on failure.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import io
import json
import random
import re
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from email.message import Message
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.openrosa_load import USER_AGENT, make_jpeg, visit_xml

DEVICE = "deviceID=collect%3ASMOKETEST000001"


class Fail(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Fail(message)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # let the test see every 30x as it is


class Browser:
    """HTTPS with the smoke certificate, cookies, and no automatic redirects."""

    def __init__(self, cafile: str) -> None:
        context = ssl.create_default_context(cafile=cafile)
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirect(),
        )

    def open(
        self, method: str, url: str, *, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                # Header names are case-blind (the app server sends them in lower case).
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")


def collect_headers(**extra: str) -> dict[str, str]:
    return {"X-OpenRosa-Version": "1.0", "User-Agent": USER_AGENT, **extra}


def households(phone: Browser, server: str) -> dict[str, int]:
    """{household id: version} as Collect finds the list: formList -> manifest -> CSV."""
    status, _, body = phone.open("GET", f"{server}/formList?{DEVICE}", headers=collect_headers())
    check(status == 200, f"formList answered {status}")
    entry = re.search(
        r"<formID>hh_visit</formID>.*?<manifestUrl>(.*?)</manifestUrl>", body.decode(), re.S
    )
    check(entry is not None, "hh_visit with a manifest is not in the form list")
    status, _, manifest = phone.open(
        "GET", entry.group(1).replace("&amp;", "&"), headers=collect_headers()
    )
    check(status == 200, f"manifest answered {status}")
    media = re.search(r"<downloadUrl>(.*?)</downloadUrl>", manifest.decode())
    check(media is not None, "the manifest names no households.csv")
    status, _, rows = phone.open(
        "GET", media.group(1).replace("&amp;", "&"), headers=collect_headers()
    )
    check(status == 200, f"households.csv answered {status}")
    return {r["name"]: int(r["__version"] or 1) for r in csv.DictReader(io.StringIO(rows.decode()))}


def multipart(xml: bytes, photo_name: str, photo: bytes, boundary: str) -> bytes:
    return b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            'filename="hh_visit.xml"\r\nContent-Type: text/xml\r\n\r\n'.encode(),
            xml,
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="{photo_name}"; '
            f'filename="{photo_name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode(),
            photo,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )


def submit_visit(phone: Browser, server: str, household: str, version: int) -> tuple[str, bytes]:
    """HEAD then POST as Collect does; return the instance id and the photo's bytes."""
    status, headers, _ = phone.open(
        "HEAD", f"{server}/submission?{DEVICE}", headers=collect_headers()
    )
    check(status == 204, f"HEAD submission answered {status}")
    check("X-OpenRosa-Accept-Content-Length" in headers, "HEAD lacks the accepted length")
    photo = make_jpeg(300_000, seed=random.randrange(1 << 30))
    xml = visit_xml(household, version, ["house.jpg"], random.Random(7))
    instance = re.search(rb"<instanceID>(.*?)</instanceID>", xml).group(1).decode()
    boundary = uuid.uuid4().hex
    status, _, body = phone.open(
        "POST",
        f"{server}/submission?{DEVICE}",
        data=multipart(xml, "house.jpg", photo, boundary),
        headers=collect_headers(**{"Content-Type": f"multipart/form-data; boundary={boundary}"}),
    )
    check(status == 201, f"POST submission answered {status}: {body[:300]!r}")
    return instance, photo


def wait_for_merge(phone: Browser, server: str, household: str, version: int) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 90:
        if households(phone, server).get(household, 0) > version:
            return time.monotonic() - started
        time.sleep(0.5)
    raise Fail(
        f"household {household} still at version {version} after 90 s: is task_worker running?"
    )


def login(base: str, cafile: str, username: str, password: str) -> Browser:
    browser = Browser(cafile)
    status, _, _ = browser.open("GET", f"{base}/admin/login/")
    check(status == 200, f"login page answered {status}")
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookie("csrftoken"),
            "next": "/admin/",
        }
    ).encode()
    status, _, _ = browser.open(
        "POST",
        f"{base}/admin/login/",
        data=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{base}/admin/login/",
        },
    )
    check(status == 302 and browser.cookie("sessionid"), f"{username} could not log in ({status})")
    return browser


def submission_id(database_url: str, instance: str) -> int:
    """The one look into the database: which row the submission became (pages link to its id)."""
    literal = instance.replace("'", "''")
    query = f"SELECT id FROM submissions_submission WHERE instance_id = '{literal}'"
    out = subprocess.run(
        ["psql", database_url, "-tAc", query], capture_output=True, text=True, check=True
    ).stdout.strip()
    check(out.isdigit(), f"submission {instance} not found in the database")
    return int(out)


def plain_port(http_base: str, server_path: str) -> None:
    with urllib.request.urlopen(
        urllib.request.Request(
            f"{http_base}{server_path}/submission?{DEVICE}",
            method="HEAD",
            headers=collect_headers(),
        ),
        timeout=30,
    ) as r:
        check(r.status == 204, f"HEAD on the plain port answered {r.status}")
    try:
        urllib.request.build_opener(NoRedirect()).open(f"{http_base}/admin/", timeout=30)
        raise Fail("the plain port served a page instead of redirecting to HTTPS")
    except urllib.error.HTTPError as error:
        check(error.code == 301, f"pages on the plain port answered {error.code}, not 301")
        check(error.headers["Location"].startswith("https://"), "redirect is not to https")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="Collect server URL (device token)")
    parser.add_argument("--base", required=True, help="https://host:port")
    parser.add_argument("--http-base", required=True, help="http://host:port (plain port)")
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--admin", required=True, help="user:password of the project admin")
    parser.add_argument("--outsider", required=True, help="user:password without a project role")
    args = parser.parse_args()
    try:
        server_path = urllib.parse.urlsplit(args.server).path
        plain_port(args.http_base, server_path)
        print("plain port: OpenRosa HEAD 204 without redirect, pages 301 to https")

        phone = Browser(args.cafile)
        before = households(phone, args.server)
        household, version = sorted(before.items())[0]
        instance, photo = submit_visit(phone, args.server, household, version)
        print(
            f"submitted {instance} updating {household} (version {version}), {len(photo)} B photo"
        )
        waited = wait_for_merge(phone, args.server, household, version)
        print(f"task worker merged the household in {waited:.1f} s")

        pk = submission_id(args.database_url, instance)
        path = f"{args.base}/projects/demo/submissions/{pk}/attachments/house.jpg"
        admin = login(args.base, args.cafile, *args.admin.split(":", 1))
        status, headers, body = admin.open("GET", path, headers={"X-Request-ID": "smoke-photo-1"})
        check(status == 200, f"admin got {status} for the photo")
        check(body == photo, f"the photo came back with {len(body)} B, not the {len(photo)} B sent")
        check(
            headers.get("Content-Type") == "image/jpeg",
            f"photo served as {headers.get('Content-Type')}",
        )
        check("X-Accel-Redirect" not in headers, "X-Accel-Redirect leaked to the client")
        check(headers.get("X-Request-ID") == "smoke-photo-1", "request id not echoed")
        print(f"admin fetched the photo through nginx: 200, {len(body)} B, same bytes")

        outsider = login(args.base, args.cafile, *args.outsider.split(":", 1))
        status, _, _ = outsider.open("GET", path)
        check(status == 404, f"a user without a role got {status} for the photo, not 404")
        status, _, _ = Browser(args.cafile).open("GET", path)
        check(status == 404, f"an anonymous request got {status} for the photo, not 404")
        status, _, _ = Browser(args.cafile).open("GET", f"{args.base}/protected-media/x")
        check(status == 404, f"the internal media location answered {status} to a client")
        print("outsider, anonymous and direct media requests: 404")

        status, _, body = Browser(args.cafile).open("GET", f"{args.base}/health")
        report = json.loads(body)
        check(status == 200, f"/health answered {status}: {report}")
        check(
            report["checks"]["tasks"].get("backend") == "database",
            f"queue: {report['checks']['tasks']}",
        )
        print(f"/health: 200, queue lag {report['checks']['tasks']['oldest_ready_seconds']} s")

        status, headers, _ = phone.open(
            "GET",
            f"{args.server}/formList?{DEVICE}",
            headers=collect_headers(**{"Accept-Encoding": "gzip"}),
        )
        check(headers.get("Content-Encoding") == "gzip", "formList was not gzipped")
        print("formList gzipped by nginx")
    except Fail as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
