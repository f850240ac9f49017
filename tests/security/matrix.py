"""The pieces of the authorization matrix: every endpoint, what a request looks like, what each
persona must get back, and how "nothing happened" and "nothing was shown" are checked."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.shortcuts import resolve_url
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver

from backend.accounts.models import ApiToken, DeviceToken, User
from backend.api import api
from backend.areas.models import Area
from backend.campaigns.models import Campaign, CampaignHousehold, CampaignSignOff
from backend.casework.models import Case, CaseAttachment, CaseStep, CaseTrigger, NoticeObjection
from backend.crosscheck.models import DepartmentImport, DepartmentTemplate, Member
from backend.entities.models import Entity, EntityVersion
from backend.exports.models import Export
from backend.flags.models import Flag, RiskWeight
from backend.households.models import Household, HouseholdVersion
from backend.projects.models import Membership, Project
from backend.review.models import ReviewComment
from backend.submissions.models import Submission, SubmissionAttachment
from forms.models import Form, FormAttachment, FormVersion
from tests.security.world import PASSWORD, World
from tests.sync.conftest import COLLECT_HEADERS, basic

# Every Django admin URL is one row: the admin is a door for superusers (is_staff), and none of
# the personas is staff, so each of its pages answers them alike.
ADMIN_PREFIX = "admin/"

# --- which endpoints exist ---------------------------------------------------------------


def _routes(patterns: list, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def api_operations() -> set[tuple[str, str]]:
    """(method, path) of every operation of the JSON API, as its OpenAPI schema lists them."""
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def endpoint_keys() -> set[str | tuple[str, str]]:
    """Every endpoint the matrix must have a row for.

    Django routes by their pattern (the admin as one group); the API's operations by method and
    path, and the Django routes that serve them are left to those rows.
    """
    api_paths = {path for _, path in api_operations()}
    keys: set[str | tuple[str, str]] = set(api_operations())
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(ADMIN_PREFIX):
            keys.add(ADMIN_PREFIX)
        elif "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) not in api_paths:
            keys.add(route)
    return keys


# --- requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request. `auth` says how the persona signs in: a browser session, Collect with a
    user name and password (Basic over HTTPS), or a phone's token already in the path."""

    method: str
    path: str
    data: Any = None
    json: Any = None
    auth: str = "session"  # session | basic | token


# What a matrix cell sends: built from the world, for one persona.
Build = Callable[[World, str], Call]


def send(world: World, persona: str, call: Call):
    client = Client()
    headers: dict[str, str] = {}
    user = world.users.get(persona)
    if call.auth == "session" and user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    if call.auth in {"basic", "token"}:
        headers.update(COLLECT_HEADERS)
    if call.auth == "basic" and user is not None:
        headers["Authorization"] = basic(user.username, PASSWORD)
    kwargs: dict[str, Any] = {"headers": headers, "secure": call.auth == "basic"}
    if call.json is not None:
        kwargs.update(data=json.dumps(call.json), content_type="application/json")
    elif call.data is not None:
        kwargs["data"] = call.data
    # Work queued on commit (processing a submission, building an export) runs as it would
    # after a real request, so its effects are part of what the request did.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return getattr(client, call.method.lower())(call.path, **kwargs)


# --- expectations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What a persona gets. kinds:

    refused: this status; nothing changed, nothing of township A in the body.
    blind:   success, but nothing changed and nothing of township A shown (a scoped list).
    sees:    success, and the body names township A's record (so the record is there).
    reads:   success and nothing changed; the body (a file) is not searched.
    does:    the caller may do this; the endpoint answers this status and may change data.
    stored:  a submission is stored, but the tables in `keeps` stay as they were.
    `then`, when given, is checked after the request (what the request must have done).
    """

    kind: str
    status: int
    redirect: str = ""
    keeps: tuple[str, ...] = ()
    then: Callable[[World], None] | None = None


def refused(status: int) -> Expect:
    return Expect("refused", status)


def blind(status: int = 200) -> Expect:
    return Expect("blind", status)


def sees(status: int = 200) -> Expect:
    return Expect("sees", status)


def reads(status: int = 200) -> Expect:
    return Expect("reads", status)


def does(status: int, then: Callable[[World], None] | None = None) -> Expect:
    return Expect("does", status, then=then)


LOGIN = Expect("refused", 302, redirect=resolve_url(settings.LOGIN_URL))
ADMIN_LOGIN = Expect("refused", 302, redirect="/admin/login/")
SEES = sees()
BLIND = blind()

SHORT = {
    "WA": "worker_a",
    "WB": "worker_b",
    "SA": "supervisor_a",
    "SB": "supervisor_b",
    "AB": "admin_b",
    "CA": "county_admin",
    "OA": "other_admin",
    "NR": "no_role",
    "AN": "anonymous",
}


def expect(**by_persona: Expect | int) -> dict[str, Expect]:
    """One expectation per persona, by short name (WA worker A ... AN anonymous); a bare
    number is a refusal with that status."""
    assert set(by_persona) == set(SHORT), f"every persona needs a cell: {sorted(by_persona)}"
    return {
        SHORT[key]: refused(value) if isinstance(value, int) else value
        for key, value in by_persona.items()
    }


def everyone(outcome: Expect | int) -> dict[str, Expect]:
    return expect(**dict.fromkeys(SHORT, outcome))


def but(base: dict[str, Expect], **changes: Expect | int) -> dict[str, Expect]:
    """A profile with some personas' cells changed."""
    short = {key: base[name] for key, name in SHORT.items()}
    return expect(**{**short, **changes})


@dataclass(frozen=True)
class Probe:
    """One way of calling an endpoint, aimed at township A, and what each persona gets."""

    name: str
    call: Build
    expect: dict[str, Expect]
    # What must not show in a refusal (and must show when a persona `sees`); by default the
    # township-A household's, submission's and phone's identifiers.
    secrets: Callable[[World], list[str]] | None = None

    def secrets_in(self, world: World) -> list[str]:
        return self.secrets(world) if self.secrets else world.secrets_of_a


@dataclass(frozen=True)
class Row:
    probes: list[Probe]
    # Set for endpoints that are not about any area: why they are still in the matrix.
    unscoped: str = ""


# --- "nothing happened" ------------------------------------------------------------------

# The tables a request aimed at township A could change, and bookkeeping columns that move on
# any signed-in request (the last sign-in, a token's last use) and so prove nothing.
WATCHED: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "households": (Household, ()),
    "household versions": (HouseholdVersion, ()),
    "flags": (Flag, ()),
    "submissions": (Submission, ()),
    "attachments": (SubmissionAttachment, ()),
    "review comments": (ReviewComment, ()),
    "device tokens": (DeviceToken, ("last_used_at",)),
    "api tokens": (ApiToken, ("last_used_at",)),
    "memberships": (Membership, ()),
    "membership areas": (Membership.areas.through, ()),
    "areas": (Area, ()),
    "exports": (Export, ()),
    "users": (User, ("last_login",)),
    "projects": (Project, ()),
    "risk weights": (RiskWeight, ()),
    "cases": (Case, ()),
    "case steps": (CaseStep, ()),
    "case triggers": (CaseTrigger, ()),
    "case documents": (CaseAttachment, ()),
    "notice objections": (NoticeObjection, ()),
    "campaigns": (Campaign, ()),
    "campaign households": (CampaignHousehold, ()),
    "campaign sign-offs": (CampaignSignOff, ()),
    "forms": (Form, ()),
    "form versions": (FormVersion, ()),
    "form attachments": (FormAttachment, ()),
    "department templates": (DepartmentTemplate, ()),
    "department files": (DepartmentImport, ()),
    "household members": (Member, ()),
    "entities": (Entity, ()),
    "entity versions": (EntityVersion, ()),
}


def snapshot() -> dict[str, list[tuple]]:
    """Every watched table's rows, column by column (the access log is left out on purpose:
    reading personal data is logged, and that is checked where it matters).

    Plain SQL: the ORM's conversion of every JSON and date column would cost more than the
    request under test.
    """
    tables = {}
    with connection.cursor() as cursor:
        for name, (model, ignored) in WATCHED.items():
            columns = ", ".join(
                connection.ops.quote_name(f.column)
                for f in model._meta.concrete_fields
                if f.attname not in ignored
            )
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1")
            tables[name] = cursor.fetchall()
    return tables


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def leaked(content: bytes, secrets: list[str]) -> list[str]:
    """The secrets a response body shows, as text or JSON-escaped (ninja escapes non-ASCII)."""
    return [
        secret
        for secret in secrets
        if secret.encode() in content or json.dumps(secret)[1:-1].encode() in content
    ]
